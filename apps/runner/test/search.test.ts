import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig, parseConfig } from '../src/config/load.js';
import { expandSearch, runSearch } from '../src/search.js';
import type { RunResults } from '../src/report/types.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

const base = `name: s
experiment: cf
dataset: { loader: alpharec, options: { dir: /nowhere } }
models: [{ name: mf, options: {} }]
`;

describe('hyperparameter search', () => {
  it('expands a grid in key order and draws random trials reproducibly from the seed', () => {
    const grid = expandSearch(parseConfig(`${base}search: { method: grid, space: { models.0.options.lr: [0.1, 0.01], models.0.options.dim: [8, 16, 32] } }\n`));
    expect(grid.map((t) => t.settings)).toEqual([
      { 'models.0.options.lr': 0.1, 'models.0.options.dim': 8 },
      { 'models.0.options.lr': 0.1, 'models.0.options.dim': 16 },
      { 'models.0.options.lr': 0.1, 'models.0.options.dim': 32 },
      { 'models.0.options.lr': 0.01, 'models.0.options.dim': 8 },
      { 'models.0.options.lr': 0.01, 'models.0.options.dim': 16 },
      { 'models.0.options.lr': 0.01, 'models.0.options.dim': 32 },
    ]);
    const random = (seed: number) => expandSearch(parseConfig(`${base}seed: ${seed}\nsearch: { method: random, trials: 4, space: { models.0.options.lr: [0.1, 0.01], models.0.options.dim: [8, 16, 32] } }\n`));
    const a = random(1).map((t) => JSON.stringify(t.settings));
    expect(a).toEqual(random(1).map((t) => JSON.stringify(t.settings)));
    expect(new Set(a).size).toBe(4);
    expect(a.every((s) => grid.some((g) => JSON.stringify(g.settings) === s))).toBe(true);
  });

  it('runs every trial and selects the one with the best VALID metric', async () => {
    const data = writePlantedAlphaRecDir(5);
    const dir = tempDir('lmrec-search-');
    const file = join(dir, 'search.yaml');
    writeFileSync(
      file,
      `name: search
experiment: cf
seed: 3
dataset: { loader: alpharec, options: { dir: ${data} } }
models: [{ name: mf, label: MF, options: { dim: 8 } }]
trainer: { epochs: 4, batchSize: 64, evalEvery: 2, patience: 5 }
eval: { ks: [10], metric: recall@10 }
search: { method: grid, space: { models.0.options.lr: [0.00001, 0.05] } }
`,
    );
    const results = await runSearch(await loadConfig(file), { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} });
    const trials = [0, 1].map((i) => JSON.parse(readFileSync(join(dir, 'out', `trial-${i}`, 'results.json'), 'utf8')) as RunResults);
    const valids = trials.map((t) => Number(t.experiments[0].rows[0].extra?.['valid recall@10']));
    const best = valids[1] > valids[0] ? 1 : 0;
    const summary = results.experiments[0];
    expect(summary.rows).toHaveLength(2);
    expect(summary.rows[best].label).toContain('(selected)');
    expect(summary.rows.map((r) => r.extra?.['valid recall@10'])).toEqual(valids);
    // The run's own result is the selected trial's experiment.
    expect(results.experiments[1].rows[0].metrics).toEqual(trials[best].experiments[0].rows[0].metrics);
  });
});
