import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress, Csr } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import type { RunResults } from '../src/report/types.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

function cfConfig(dataDir: string, extra = ''): string {
  return `name: e2e-cf
experiment: cf
seed: 7
dataset:
  loader: alpharec
  options: { dir: ${dataDir} }
models:
  - { name: popularity, label: Popularity }
  - { name: mf, label: MF, options: { dim: 16 } }
  - { name: alpharec, label: AlphaRec, options: { hidden: 32, lr: 0.005, negatives: 16 } }
trainer: { epochs: 6, batchSize: 64, evalEvery: 2, patience: 10 }
eval: { ks: [5, 10], metric: recall@10 }
${extra}`;
}

/** Popularity's test recall@K computed from the files alone (train counts, train+valid masked, ties to lower id). */
function popularityRecall(split: { train: Csr; valid: Csr; test: Csr; nItems: number }, k: number): number {
  const counts = new Float64Array(split.nItems);
  for (const j of split.train.indices) counts[j]++;
  const values: number[] = [];
  for (let u = 0; u < split.test.nRows; u++) {
    const targets = new Set(split.test.row(u));
    if (targets.size === 0) continue;
    const masked = new Set([...split.train.row(u), ...split.valid.row(u)].filter((j) => !targets.has(j)));
    const ranked = Array.from({ length: split.nItems }, (_, j) => j)
      .filter((j) => !masked.has(j))
      .sort((a, b) => counts[b] - counts[a] || a - b)
      .slice(0, k);
    values.push(ranked.filter((j) => targets.has(j)).length / targets.size);
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe('lmrec run (end to end)', () => {
  it('trains, evaluates on test with valid selection, and writes results and a report', async () => {
    const data = writePlantedAlphaRecDir();
    const dir = tempDir('lmrec-run-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, cfConfig(data));
    const printed: string[] = [];
    const progress = new CapturingProgress();
    const { results, report } = await runConfig(await loadConfig(file), { output: join(dir, 'out'), progress, print: (t) => printed.push(t) });

    expect(existsSync(report)).toBe(true);
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as RunResults;
    expect(saved.experiments[0].rows.map((r) => r.label)).toEqual(['Popularity', 'MF', 'AlphaRec']);

    const { split } = await loadAlphaRecDir(data);
    const pop = results.experiments[0].rows[0];
    expect(pop.metrics['recall@10'].mean).toBeCloseTo(popularityRecall(split, 10), 10);
    expect(pop.metrics['recall@5'].mean).toBeCloseTo(popularityRecall(split, 5), 10);

    const alpha = results.experiments[0].rows[2];
    // Item vectors carry the taste groups: AlphaRec must beat popularity clearly.
    expect(alpha.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean + 0.1);
    expect(alpha.curve?.length).toBe(6);
    expect(Number(alpha.extra?.['valid recall@10'])).toBeGreaterThan(0);
    // Significance against the first row, with both test and bootstrap numbers.
    const sig = results.experiments[0].significance?.find((s) => s.label === 'AlphaRec' && s.metric === 'recall@10');
    expect(sig?.p).toBeLessThan(0.05);
    expect(sig!.ciLow).toBeLessThan(sig!.diff);
    expect(printed.join('\n')).toContain('AlphaRec');
    expect(progress.events.some((e) => e.type === 'start')).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('<svg');
  });

  it('reuses finished steps when the same run is started again', async () => {
    const data = writePlantedAlphaRecDir(3);
    const dir = tempDir('lmrec-rerun-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, cfConfig(data).replace(/ {2}- \{ name: (mf|alpharec).*\n/g, ''));
    const first = await runConfig(await loadConfig(file), { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} });
    const progress = new CapturingProgress();
    const second = await runConfig(await loadConfig(file), { output: join(dir, 'out'), progress, print: () => {} });
    expect(second.results.experiments).toEqual(first.results.experiments);
    expect(progress.events.some((e) => e.type === 'log' && e.message.includes('reusing the finished result'))).toBe(true);
  });
});
