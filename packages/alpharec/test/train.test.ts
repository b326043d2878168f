import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturingProgress, initBackend, Rng, tf } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { AlphaRec, LinearMapping, loadAlphaRecModel } from '../src/index.js';
import { plantedDataset } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'alpharec-train-'));
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { hidden: 32, negatives: 16, batchSize: 128, epochs: 30, evalEvery: 5, patience: 3, lr: 3e-3, tau: 0.2 };

describe('AlphaRec training (planted data: item text predicts taste)', () => {
  const data = plantedDataset(1);

  it('informative item vectors beat the same model on shuffled vectors (valid-selected test recall@10)', async () => {
    const shuffled = new Float32Array(data.items.length);
    const perm = new Rng(5).shuffle(Array.from({ length: data.split.nItems }, (_, i) => i));
    perm.forEach((src, dst) => shuffled.set(data.items.subarray(src * data.dim, (src + 1) * data.dim), dst * data.dim));
    const run = async (items: Float32Array) => {
      const model = new AlphaRec({ itemEmbeddings: { dim: data.dim, data: items }, ...small });
      const fit = await model.fit(data.split, { seed: 3 });
      expect(fit.selectedOn).toBe('valid');
      const res = await evaluateFullRanking(model, data.split, { on: 'test', ks: [10] });
      model.dispose();
      return res.metrics['recall@10'].mean;
    };
    const good = await run(data.items);
    const bad = await run(shuffled);
    if (process.env.ALPHAREC_DEBUG) console.log({ good, bad });
    expect(good).toBeGreaterThan(bad + 0.1);
    // 4 equally sized tastes, 80 items: random ranking of the 76 unseen items gives ~10/76 = 0.13
    expect(good).toBeGreaterThan(0.3);
  });

  it('an epoch does not grow tf.memory().numTensors; save / load gives equal scores; progress is reported', async () => {
    const model = new AlphaRec({ itemEmbeddings: { dim: data.dim, data: data.items }, ...small, epochs: 2, evalEvery: 1 });
    const counts: number[] = [];
    const progress = new CapturingProgress();
    await model.fit(data.split, { seed: 1, progress, onEpochEnd: () => void counts.push(tf.memory().numTensors) });
    expect(counts[1]).toBe(counts[0]);
    expect(progress.events.some((e) => e.type === 'tick')).toBe(true);
    const users = Int32Array.from([0, 5, 77]);
    const before = model.scoreBlock(users);
    await model.save(join(dir, 'm'));
    const loaded = await loadAlphaRecModel(join(dir, 'm'));
    const after = loaded.scoreBlock(users);
    expect(Array.from(after)).toEqual(Array.from(before));
    model.dispose();
    loaded.dispose();
  });

  it('selectOn "test" is labelled as a leak; the linear mapping trains through the same loop', async () => {
    const model = new LinearMapping({ itemEmbeddings: { dim: data.dim, data: data.items }, ...small, epochs: 5 });
    const fit = await model.fit(data.split, { seed: 2, selectOn: 'test' });
    expect(fit.selectedOn).toBe('test');
    expect(fit.warning).toMatch(/TEST/);
    expect(model.net!.config.layers).toBe(0);
    const res = await evaluateFullRanking(model, data.split, { on: 'test', ks: [10] });
    expect(res.metrics['recall@10'].mean).toBeGreaterThan(0.2);
    model.dispose();
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run', async () => {
    const opts = { itemEmbeddings: { dim: data.dim, data: data.items }, ...small, epochs: 4, evalEvery: 2 };
    const full = new AlphaRec(opts);
    await full.fit(data.split, { seed: 9 });
    const ck = join(dir, 'ckpt');
    const part = new AlphaRec(opts);
    await part.fit(data.split, { seed: 9, checkpointDir: ck, onEpochEnd: (r) => r.epoch < 2 });
    const resumed = new AlphaRec(opts);
    await resumed.fit(data.split, { seed: 9, checkpointDir: ck });
    const users = Int32Array.from([1, 2, 3]);
    expect(Array.from(resumed.scoreBlock(users))).toEqual(Array.from(full.scoreBlock(users)));
    for (const m of [full, part, resumed]) m.dispose();
  });
});
