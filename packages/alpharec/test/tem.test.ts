import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { recommenderContract } from '@lmrec/testing';
import { Tem, temOptions } from '../src/index.js';
import { plantedDataset, tableEncoder } from './helpers.js';

const planted = plantedDataset(41, { nUsers: 120, nItems: 80 });
const itemEmbeddings = { dim: planted.dim, data: planted.items };
const net = { dim: 16, heads: 2, layers: 1, maxLen: 10 };
const fit = { epochs: 20, batchSize: 128, lr: 5e-3, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'tem', data: planted.split, create: () => new Tem({ ...net, itemEmbeddings }), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const item = (j: number) => planted.items.subarray(j * planted.dim, (j + 1) * planted.dim);

describe('TEM-style intention baseline', () => {
  it('the intention adds alpha * (W_q^T e) . item_j to every score (checked in plain JS)', async () => {
    const encoder = tableEncoder(planted.dim, new Map([['wish', item(7)]]));
    const model = new Tem({ ...net, itemEmbeddings, encoder });
    await model.fit(planted.split, { ...fit, epochs: 2, evalEvery: 0 });
    const s = model.state();
    const wq = s['query.projection'].dataSync();
    const emb = s['item.embedding'].dataSync();
    const d = net.dim;
    const qv = Array.from({ length: d }, (_, c) => item(7).reduce((acc, v, t) => acc + v * wq[t * d + c], 0));
    const all = { user: 3, k: 80, excludeSeen: false };
    const base = await model.recommend(all);
    const byId = (r: { items: Int32Array; scores: Float32Array }) => new Map(Array.from(r.items, (j, n) => [j, r.scores[n]]));
    const b = byId(base);
    for (const alpha of [0.5, 1]) {
      const w = byId(await model.recommend({ ...all, intention: 'wish', alpha }));
      for (let j = 0; j < 80; j++) {
        const lift = alpha * qv.reduce((acc, v, c) => acc + v * emb[j * d + c], 0);
        expect(w.get(j)! - b.get(j)!).toBeCloseTo(lift, 3);
      }
    }
    model.dispose();
  });

  it('trained with pseudo-intentions, the target item\'s own text lifts it in the ranking', async () => {
    const texts = new Map(Array.from({ length: 80 }, (_, j) => [`about ${j}`, item(j)] as [string, Float32Array]));
    const model = new Tem({ ...net, itemEmbeddings, encoder: tableEncoder(planted.dim, texts) });
    await model.fit(planted.split, { ...fit, epochs: 15, evalEvery: 0, seed: 4 });
    let better = 0;
    let n = 0;
    for (let u = 0; u < 40; u++) {
      for (const j of planted.split.test.row(u)) {
        const rank = async (intention?: string) => Array.from((await model.recommend({ user: u, intention, k: 80 })).items).indexOf(j);
        const [without, withIt] = [await rank(), await rank(`about ${j}`)];
        if (withIt < without || (withIt === without && withIt === 0)) better++;
        n++;
      }
    }
    // a model deaf to the query would score ~0 here (strictly better, or already first)
    expect(better / n).toBeGreaterThan(0.6);
    model.dispose();
  });

  it('options: strict; intentions without an encoder are an error', async () => {
    expect(temOptions.safeParse({ queryDrop: 0.3, layers: 1 }).success).toBe(true);
    expect(JSON.stringify(temOptions.safeParse({ queryWeight: 1 }).error?.issues)).toContain('queryWeight');
    const model = new Tem({ ...net, itemEmbeddings });
    await model.fit(planted.split, { ...fit, epochs: 1, evalEvery: 0 });
    await expect(model.recommend({ user: 0, intention: 'x' })).rejects.toThrow(/TextEncoder/);
    model.dispose();
  });
});
