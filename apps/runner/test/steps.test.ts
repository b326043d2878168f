import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress, isLmrecError } from '@lmrec/core';
import { loadSplit } from '@lmrec/datasets';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { hashOf } from '../src/steps/hash.js';
import { StepStore } from '../src/steps/store.js';
import { LMREC_VERSION } from '../src/version.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

const logs = (p: CapturingProgress) => p.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));

async function run(file: string, out: string) {
  const progress = new CapturingProgress();
  const { results } = await runConfig(await loadConfig(file), { output: out, progress, print: () => {} });
  return { results, logs: logs(progress) };
}

const cf = (data: string, lr: number, extra = '') => `name: steps
experiment: cf
seed: 5
dataset: { loader: alpharec, options: { dir: ${data} } }
models:
  - { name: popularity, label: Popularity }
  - { name: mf, label: MF, options: { dim: 8, lr: ${lr} } }
trainer: { epochs: 3, batchSize: 64, evalEvery: 1, patience: 5 }
eval: { ks: [10], metric: recall@10 }
${extra}`;

describe('step keys', () => {
  it('a changed config retrains only the rows it touches, says why, and results.json records each row\'s key and resolved config', async () => {
    const data = writePlantedAlphaRecDir(41);
    const dir = tempDir('lmrec-steps-');
    const file = join(dir, 'exp.yaml');
    const out = join(dir, 'out');
    writeFileSync(file, cf(data, 0.001));
    const first = await run(file, out);
    writeFileSync(file, cf(data, 0.05));
    const second = await run(file, out);
    expect(second.logs).toContain('models.1 (MF): config changed (lr 0.001 -> 0.05); retraining');
    expect(second.logs.some((l) => l.startsWith('models.0 (Popularity): reusing the finished result'))).toBe(true);
    const [pop1, mf1] = first.results.experiments[0].rows;
    const [pop2, mf2] = second.results.experiments[0].rows;
    expect(pop2.metrics).toEqual(pop1.metrics);
    expect(mf2.metrics).not.toEqual(mf1.metrics);
    // The row holds the exact resolved config (plugin origin, options, trainer settings) and its key is the hash of it.
    const recsys = JSON.parse(readFileSync(join(import.meta.dirname, '../../../packages/recsys/package.json'), 'utf8'));
    const config = mf2.step!.config as { plugin: { name: string; package: string; version: string }; options: Record<string, unknown>; fit: Record<string, unknown> };
    expect(config.plugin).toEqual({ point: 'Recommender', name: 'mf', package: '@lmrec/recsys', version: recsys.version });
    expect(config.options).toEqual({ dim: 8, lr: 0.05 });
    expect(config.fit).toEqual({ seed: 5, metric: 'recall@10', epochs: 3, batchSize: 64, evalEvery: 1, patience: 5 });
    expect(mf2.step!.hash).toBe(hashOf({ lmrec: LMREC_VERSION, material: mf2.step!.config }));
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(saved.experiments[0].rows[1].step).toEqual(mf2.step);
    expect(saved.config.models[1].options.lr).toBe(0.05);
  });

  it('a saved split is reused only while the split spec, seed and data are the same', async () => {
    const dir = tempDir('lmrec-split-');
    const file = join(dir, 'exp.yaml');
    const out = join(dir, 'out');
    const yaml = (seed: number, ratios: string) => `name: split\nexperiment: cf\nseed: ${seed}\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio, ratios: ${ratios} } }\nmodels: [{ name: popularity }]\neval: { ks: [10] }\n`;
    writeFileSync(file, yaml(1, '[0.8, 0.1, 0.1]'));
    await run(file, out);
    const a = await loadSplit(join(out, 'split-dataset'));
    writeFileSync(file, yaml(2, '[0.8, 0.1, 0.1]'));
    const second = await run(file, out);
    expect(second.logs).toContain('dataset split: config changed (seed 1 -> 2); re-splitting');
    const b = await loadSplit(join(out, 'split-dataset'));
    expect(Array.from(b.test.indices)).not.toEqual(Array.from(a.test.indices));
    writeFileSync(file, yaml(2, '[0.6, 0.2, 0.2]'));
    const third = await run(file, out);
    expect(third.logs).toContain('dataset split: config changed (ratios [0.8,0.1,0.1] -> [0.6,0.2,0.2]); re-splitting');
    expect((await loadSplit(join(out, 'split-dataset'))).test.nnz).toBeGreaterThan(b.test.nnz);
    // The popularity row depends on the split: recomputed each time, never a stale copy.
    expect(third.logs).toContain('models.0 (popularity): config changed (ratios [0.8,0.1,0.1] -> [0.6,0.2,0.2]); retraining');
  });

  it('a changed data file is noticed by content, whatever the config says', async () => {
    const data = writePlantedAlphaRecDir(42);
    const dir = tempDir('lmrec-data-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, cf(data, 0.01));
    await run(file, join(dir, 'out'));
    appendFileSync(join(data, 'cf_data', 'train.txt'), '60 1 2 3\n');
    const again = await run(file, join(dir, 'out'));
    expect(again.logs).toContain('dataset split: data changed (cf_data/train.txt); re-splitting');
    expect(again.results.experiments[0].rows[0].step!.config).toMatchObject({ data: { view: 'given split' } });
  });

  it('two rows with one label are a config error naming both entries and their lines', async () => {
    const dir = tempDir('lmrec-dup-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, `name: dup\nexperiment: cf\ndataset: { loader: redial-sample, split: { kind: ratio } }\nmodels:\n  - { name: mf, label: MF }\n  - { name: popularity }\n  - { name: lightgcn, label: MF }\n`);
    const error = await runConfig(await loadConfig(file), { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} }).catch((e: unknown) => e);
    expect(isLmrecError(error)).toBe(true);
    expect((error as Error).message).toContain('models.0 (line 5) and models.2 (line 7) have the same label "MF"');
    expect((error as { line?: number }).line).toBe(7);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('StepStore', () => {
  it('reuses on an equal key, recomputes on another, and never hands a step checkpoints made under another key', async () => {
    const lines: string[] = [];
    const store = new StepStore(tempDir('lmrec-store-'), (l) => lines.push(l));
    const site = { id: 'model-X', label: 'models.0 (X)' };
    let runs = 0;
    // A run killed after its first checkpoint: the step throws after writing into its folder.
    await expect(
      store.run(site, { options: { lr: 1 } }, async (dir) => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'epoch-1'), 'lr 1');
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    // Resumed under the same key: the checkpoint is there.
    const seen: string[] = [];
    const resumed = await store.run(site, { options: { lr: 1 } }, async (dir) => {
      runs++;
      seen.push(existsSync(join(dir, 'epoch-1')) ? readFileSync(join(dir, 'epoch-1'), 'utf8') : 'none');
      return 41;
    });
    expect(resumed.reused).toBe(false);
    expect(seen).toEqual(['lr 1']);
    expect((await store.run(site, { options: { lr: 1 } }, async () => ++runs)).value).toBe(41);
    expect(runs).toBe(1);
    // Another config: recomputed, with an empty checkpoint folder.
    const changed = await store.run(site, { options: { lr: 2 } }, async (dir) => {
      seen.push(existsSync(join(dir, 'epoch-1')) ? 'stale checkpoint' : 'none');
      return 42;
    });
    expect(changed.value).toBe(42);
    expect(seen).toEqual(['lr 1', 'none']);
    expect(lines).toContain('models.0 (X): config changed (lr 1 -> 2); retraining');
    expect(lines).toContain('models.0 (X): discarding checkpoints made for another config');
  });

  it('treats a result finished by an older lmrec (no key) as unknown', async () => {
    const out = tempDir('lmrec-old-');
    mkdirSync(join(out, 'steps'));
    writeFileSync(join(out, 'steps', 'cf-MF.json'), JSON.stringify({ label: 'MF', metrics: {} }));
    const lines: string[] = [];
    const outcome = await new StepStore(out, (l) => lines.push(l)).run({ id: 'cf-MF', label: 'models.0 (MF)' }, { a: 1 }, async () => 7);
    expect(outcome).toMatchObject({ value: 7, reused: false });
    expect(lines[0]).toBe('models.0 (MF): finished by an older lmrec, without a step key; retraining');
  });
});
