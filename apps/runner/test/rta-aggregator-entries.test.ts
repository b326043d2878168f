import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { plannedRows } from '../src/plan/labels.js';
import { tempDir } from './fixtures.js';

const yaml = `
name: entries
experiment: rta-aggregators
seed: 3
dataset: { loader: redial-sample }
eval: { ks: [10] }
study:
  maxExamples: { train: 120, valid: 40, test: 60 }
  popularity: targets
  ddof: 0
  reindex: { maxEpochs: 3, patience: 10, evaluateInitial: false }
  aggregators:
    - { name: sum, label: plain sum, variants: [Popularity, Reindex] }
    - { name: weighted, label: one epoch, reindex: { maxEpochs: 1 }, variants: [Reindex] }
    - { name: weighted, label: three epochs, variants: [Reindex] }
`;

describe('rta-aggregators: per-entry reindex training and rows', () => {
  it('each entry runs its own rows, its reindex options over the study', async () => {
    const dir = tempDir('lmrec-entries-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, yaml);
    const config = await loadConfig(file);
    const want = ['Popularity [plain sum]', 'Reindex [plain sum]', 'Reindex [one epoch]', 'Reindex [three epochs]'];
    expect(plannedRows(config.config).map((r) => r.label)).toEqual(want);
    const [table] = (await runConfig(config, { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} })).results.experiments;
    expect(table.rows.map((r) => r.label)).toEqual(want);
    const epochs = Object.fromEntries(table.rows.map((r) => [r.label, r.epochs]));
    expect(epochs['Reindex [one epoch]']).toBe(1);
    expect(epochs['Reindex [three epochs]']).toBe(3);
    // ddof 0: SE = population std / sqrt(n), recomputed from the per-example hits
    const pop = table.rows[0];
    const hits = pop.perUnit!['hit@10'];
    const mean = hits.reduce((a, b) => a + b, 0) / hits.length;
    const se = Math.sqrt(hits.reduce((a, b) => a + (b - mean) ** 2, 0) / hits.length) / Math.sqrt(hits.length);
    expect(pop.metrics['hit@10'].mean).toBeCloseTo(mean, 12);
    expect(pop.metrics['hit@10'].se).toBeCloseTo(se, 12);
  }, 300_000);
});
