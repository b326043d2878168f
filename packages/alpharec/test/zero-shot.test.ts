import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, serializeNpy } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { Popularity } from '@lmrec/recsys';
import { combineDomains, fromAlphaRecDir, loadAlphaRecModel, trainMultiDomain, zeroShot } from '../src/index.js';
import { plantedDataset, randomArray } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'alpharec-zs-'));
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zero-shot transfer', () => {
  // tastes share their meaning (cluster centres) across domains, as real item texts do
  const centres = randomArray(new Rng(99), 4 * 16);
  const a = plantedDataset(31, { centres, nUsers: 80, nItems: 60 });
  const b = plantedDataset(32, { centres, nUsers: 80, nItems: 70 });
  const target = plantedDataset(33, { centres, nUsers: 90, nItems: 50, offTaste: 0.2 });

  it('combines domains block-diagonally and keeps negatives in the user\'s domain', () => {
    const c = combineDomains([
      { split: a.split, itemEmbeddings: { dim: 16, data: a.items } },
      { split: b.split, itemEmbeddings: { dim: 16, data: b.items } },
    ]);
    expect(c.split.nUsers).toBe(160);
    expect(c.split.nItems).toBe(130);
    expect(Array.from(c.split.train.row(85))).toEqual(Array.from(b.split.train.row(5)).map((j) => j + 60));
    expect(c.itemRange(3)).toEqual([0, 60]);
    expect(c.itemRange(100)).toEqual([60, 130]);
  });

  it('a model trained on two domains, saved and loaded, beats Popularity on a held-out domain without training on it', async () => {
    const { model } = await trainMultiDomain(
      [
        { split: a.split, itemEmbeddings: { dim: 16, data: a.items } },
        { split: b.split, itemEmbeddings: { dim: 16, data: b.items } },
      ],
      { hidden: 32, negatives: 16, batchSize: 128, epochs: 20, evalEvery: 5, patience: 2, lr: 3e-3, tau: 0.2 },
      { seed: 5 },
    );
    await model.save(join(dir, 'multi'));
    model.dispose();
    const loaded = await loadAlphaRecModel(join(dir, 'multi'));
    const zs = zeroShot(loaded, { split: target.split, itemEmbeddings: { dim: 16, data: target.items } });
    expect(zs.nItems).toBe(50);
    const mine = await evaluateFullRanking(zs, target.split, { on: 'test', ks: [10] });
    const popularity = new Popularity();
    await popularity.fit(target.split);
    const pop = await evaluateFullRanking(popularity, target.split, { on: 'test', ks: [10] });
    expect(mine.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean + 0.15);
    zs.dispose();
    loaded.dispose();
  });
});

describe("AlphaRec's released layout", () => {
  it('reads cf_data/*.txt + item_info/*.npy and trains on them', async () => {
    const root = join(dir, 'layout');
    mkdirSync(join(root, 'cf_data'), { recursive: true });
    mkdirSync(join(root, 'item_info'), { recursive: true });
    const d = plantedDataset(40, { nUsers: 30, nItems: 20, dim: 8, perUser: 6 });
    for (const part of ['train', 'valid', 'test'] as const) {
      const m = d.split[part];
      writeFileSync(join(root, 'cf_data', `${part}.txt`), Array.from({ length: m.nRows }, (_, u) => [u, ...m.row(u)].join(' ')).join('\n') + '\n');
    }
    writeFileSync(join(root, 'item_info', 'item_cf_embeds_large3_array.npy'), serializeNpy(d.items, [20, 8]));
    const { model, split } = await fromAlphaRecDir(root, { negatives: 4, batchSize: 16, epochs: 2, evalEvery: 1 });
    // the reference sizes the MLP by file name: "large3" (text-embedding-3-large) -> multiplier 1/2
    expect(model.netConfig().hidden).toBe(4);
    expect(split.nUsers).toBe(30);
    expect(Array.from(split.train.row(4))).toEqual(Array.from(d.split.train.row(4)));
    expect(Array.from(model.items!.data)).toEqual(Array.from(d.items));
    // the README example, end to end
    const fit = await model.fit(split, { seed: 1, checkpointDir: join(root, 'run', 'ckpt'), logPath: join(root, 'run', 'log.jsonl') });
    expect(fit.epochs).toBe(2);
    const test = await evaluateFullRanking(model, split, { on: 'test', ks: [20] });
    expect(test.metrics['recall@20'].mean).toBeGreaterThan(0);
    await model.save(join(root, 'run', 'model'));
    const rec = model.recommendForHistory([12, 4, 7], 10);
    expect(rec.items.length).toBe(10);
    expect([...rec.items].some((j) => [12, 4, 7].includes(j))).toBe(false);
    model.dispose();
  });
});
