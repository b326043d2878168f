import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { prepareRun, runConfig } from '../src/run/run.js';
import { isLmrecError } from '@lmrec/core';
import { shippedConfig } from '../src/shipped.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

async function run(yaml: string) {
  const dir = tempDir('lmrec-kind-');
  const file = join(dir, 'exp.yaml');
  writeFileSync(file, yaml);
  return (await runConfig(await loadConfig(file), { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} })).results;
}

describe('experiment kinds', () => {
  it('every shipped config validates against the plugin schemas', async () => {
    const names = readdirSync(join(import.meta.dirname, '..', 'configs')).filter((f) => f.endsWith('.yaml'));
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) await expect(prepareRun(await loadConfig(shippedConfig(name)))).resolves.toBeDefined();
  });

  it('linear-mapping trains the linear map on the dataset vectors next to the reference models', async () => {
    const data = writePlantedAlphaRecDir(8);
    const results = await run(`name: lm
experiment: linear-mapping
seed: 1
dataset: { loader: alpharec, options: { dir: ${data} } }
models: [{ name: popularity, label: Popularity }]
study: { mapping: { options: { lr: 0.01, negatives: 16 } } }
trainer: { epochs: 6, batchSize: 64, evalEvery: 2 }
eval: { ks: [10], metric: recall@10 }
`);
    const rows = results.experiments[0].rows;
    expect(rows.map((r) => r.label)).toEqual(['Popularity', 'Linear: dataset vectors']);
    // The planted vectors carry the taste groups: the linear map must find them.
    expect(rows[1].metrics['recall@10'].mean).toBeGreaterThan(rows[0].metrics['recall@10'].mean);
  });

  it('zero-shot applies a model trained on one domain to another without training on it', async () => {
    const source = writePlantedAlphaRecDir(31, 80, 80);
    const target = writePlantedAlphaRecDir(32, 60, 80);
    const results = await run(`name: zs
experiment: zero-shot
seed: 2
datasets: [{ loader: alpharec, options: { dir: ${source} } }]
dataset: { loader: alpharec, options: { dir: ${target} } }
models:
  - { name: alpharec, label: AlphaRec, options: { hidden: 32, lr: 0.005, negatives: 16 } }
  - { name: popularity, label: Popularity }
trainer: { epochs: 8, batchSize: 64, evalEvery: 2 }
eval: { ks: [10], metric: recall@10 }
`);
    const [zs, pop] = results.experiments[0].rows;
    expect(zs.label).toMatch(/zero-shot/);
    expect(pop.label).toBe('Popularity (trained on target)');
    expect(zs.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean);
  });

  it('intention sweeps alpha with the seekers own words on the bundled ReDIAL sample', async () => {
    const results = await run(`name: intent
experiment: intention
seed: 3
dataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }
encoder: { name: lexical, options: { dim: 64 } }
models: [{ name: alpharec, label: AlphaRec, options: { hidden: 64, lr: 0.005, negatives: 16 } }]
trainer: { epochs: 2, batchSize: 256, evalEvery: 1 }
study: { alphas: [0, 1] }
eval: { ks: [5, 50] }
`);
    const exp = results.experiments[0];
    expect(exp.rows.map((r) => r.label)).toEqual(['alpha = 0', 'alpha = 1']);
    const n = exp.rows[0].perUnit!['hr@5'].length;
    expect(n).toBeGreaterThan(10);
    for (const row of exp.rows) expect(row.metrics['hr@50'].mean).toBeGreaterThanOrEqual(row.metrics['hr@5'].mean);
  });

  it('zero-shot transfers the row study.transfer names (an AlphaRec-family model), and no other', async () => {
    const source = writePlantedAlphaRecDir(35, 60, 80);
    const target = writePlantedAlphaRecDir(36, 40, 80);
    const yaml = (transfer: string) => `name: zs\nexperiment: zero-shot\nseed: 2\ndatasets: [{ loader: alpharec, options: { dir: ${source} } }]\ndataset: { loader: alpharec, options: { dir: ${target} } }\nmodels:\n  - { name: popularity, label: Popularity }\n  - { name: linear-mapping, label: Linear, options: { lr: 0.01, negatives: 16 } }\ntrainer: { epochs: 4, batchSize: 64, evalEvery: 2 }\neval: { ks: [10], metric: recall@10, baseline: Popularity }\nstudy: { transfer: ${transfer} }\n`;
    const results = await run(yaml('Linear'));
    const rows = results.experiments[0].rows;
    expect(rows.map((r) => r.label)).toEqual([expect.stringMatching(/^Linear \(zero-shot from /), 'Popularity (trained on target)']);
    // eval.baseline names the config's row; the table's label adds to it.
    expect(results.experiments[0].baseline).toBe('Popularity (trained on target)');
    expect(results.experiments[0].significance?.length).toBeGreaterThan(0);
    const error = await run(yaml('Popularity')).catch((e: unknown) => e);
    expect(isLmrecError(error)).toBe(true);
    expect((error as Error).message).toContain('zero-shot transfers a model trained on other domains (alpharec, unisrec, zesrec); models.0 ("popularity")');
  });

  it('zero-shot transfers the UniSRec-style adaptor by registry name, beside the training-free ZESRec-style row', async () => {
    const source = writePlantedAlphaRecDir(31, 80, 80);
    const target = writePlantedAlphaRecDir(32, 60, 80);
    const results = await run(`name: zs\nexperiment: zero-shot\nseed: 2\ndatasets: [{ loader: alpharec, options: { dir: ${source} } }]\ndataset: { loader: alpharec, options: { dir: ${target} } }\nmodels:\n  - { name: unisrec, label: UniSRec, options: { experts: 4, outDim: 16, lr: 0.01 } }\n  - { name: zesrec, label: ZESRec }\n  - { name: popularity, label: Popularity }\ntrainer: { epochs: 8, batchSize: 64, evalEvery: 2 }\neval: { ks: [10], metric: recall@10, baseline: Popularity }\n`);
    const [uni, zes, pop] = results.experiments[0].rows;
    expect(uni.label).toMatch(/^UniSRec \(zero-shot from /);
    expect(zes.label).toBe('ZESRec (trained on target)');
    expect(uni.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean);
    expect(zes.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean);
  });

  it('the intention study runs the TEM-style baseline by registry name', async () => {
    const results = await run(`name: intent-tem
experiment: intention
seed: 3
dataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }
encoder: { name: lexical, options: { dim: 64 } }
models: [{ name: tem, label: TEM, options: { dim: 32, layers: 1, maxLen: 20 } }]
trainer: { epochs: 2, batchSize: 256, evalEvery: 1 }
study: { alphas: [0, 1] }
eval: { ks: [5, 50] }
`);
    const exp = results.experiments[0];
    expect(exp.rows.map((r) => r.label)).toEqual(['alpha = 0', 'alpha = 1']);
    expect(exp.notes?.[0]).toContain('TEM');
    for (const row of exp.rows) expect(row.metrics['hr@50'].mean).toBeGreaterThanOrEqual(row.metrics['hr@5'].mean);
  });

  it('the intention study refuses a model whose recommend() takes no intentions', async () => {
    const error = await run(`name: i\nexperiment: intention\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\nencoder: { name: lexical, options: { dim: 16 } }\nmodels: [{ name: popularity, label: Pop }]\nstudy: { alphas: [0, 1] }\n`).catch((e: unknown) => e);
    expect(isLmrecError(error)).toBe(true);
    expect((error as Error).message).toContain('the intention study needs a model whose recommend() takes intentions; "popularity" does not');
  });
});
