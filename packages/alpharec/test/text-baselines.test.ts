import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { Popularity } from '@lmrec/recsys';
import { recommenderContract } from '@lmrec/testing';
import { isDomainTransfer, UniSRec, unisrecOptions, ZesRec } from '../src/index.js';
import { plantedDataset, randomArray, splitFromRows } from './helpers.js';

const planted = plantedDataset(21, { nUsers: 120, nItems: 80 });
const itemEmbeddings = { dim: planted.dim, data: planted.items };
const fit = { epochs: 30, batchSize: 128, lr: 1e-2, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'zesrec', data: planted.split, create: () => new ZesRec({ itemEmbeddings }), seeded: false });
recommenderContract({ name: 'unisrec', data: planted.split, create: () => new UniSRec({ itemEmbeddings, experts: 3, outDim: 16 }), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const dot = (a: number[], b: number[]) => a.reduce((s, v, t) => s + v * b[t], 0);
const unit = (a: number[]) => a.map((v) => v / Math.hypot(...a));
const row = (x: ArrayLike<number>, r: number, d: number) => Array.from({ length: d }, (_, t) => x[r * d + t]);

// 3 users x 4 items, 3-d "text" vectors
const tinyItems = [1, 0, 0, 0.6, 0.8, 0, 0, 0, 2, -1, 1, 1];
const tiny = splitFromRows(4, [[0, 1], [1, 2, 3], [0, 3]], [[2], [0], [1]], [[3], [], [2]]);

describe('ZESRec-style baseline', () => {
  it('scores the cosine between the mean of the history\'s unit vectors and each item', async () => {
    const m = new ZesRec({ itemEmbeddings: { dim: 3, data: Float32Array.from(tinyItems) } });
    await m.fit(tiny);
    const scores = await m.scoreBlock(Int32Array.of(0, 1, 2));
    for (let u = 0; u < 3; u++) {
      const h = tiny.train.row(u);
      const mean = [0, 1, 2].map((t) => [...h].reduce((s, j) => s + unit(row(tinyItems, j, 3))[t], 0) / h.length);
      for (let j = 0; j < 4; j++) expect(scores[u * 4 + j]).toBeCloseTo(dot(unit(mean), unit(row(tinyItems, j, 3))), 5);
    }
    expect(isDomainTransfer(m)).toBe(true);
  });
});

/** The adaptor in plain JS: sum_k softmax(x Wg)_k (x - b_k) W_k. */
function adaptJs(x: number[], w: number[], b: number[], g: number[], d: number, k: number, o: number): number[] {
  const gl = Array.from({ length: k }, (_, e) => x.reduce((s, v, t) => s + v * g[t * k + e], 0));
  const mx = Math.max(...gl);
  const ex = gl.map((v) => Math.exp(v - mx));
  const z = ex.reduce((a, c) => a + c, 0);
  const out = new Array<number>(o).fill(0);
  for (let e = 0; e < k; e++) for (let c = 0; c < o; c++) for (let t = 0; t < d; t++) out[c] += (ex[e] / z) * (x[t] - b[e * d + t]) * w[t * k * o + e * o + c];
  return out;
}

describe('UniSRec-style adaptor', () => {
  it('loss and gradient equal a plain-JS whitening + MoE + leave-one-out in-batch softmax', () => {
    const [d, k, o, tau] = [3, 2, 2, 0.5];
    const model = new UniSRec({ itemEmbeddings: { dim: d, data: Float32Array.from(tinyItems) }, experts: k, outDim: o, tau });
    model.init(tiny, new Rng(1));
    const rng = new Rng(8);
    const sizes = [d * k * o, k * d, d * k];
    const x0 = Array.from(randomArray(rng, sizes[0] + sizes[1] + sizes[2], 0.7));
    const parts = (x: number[]) => [x.slice(0, sizes[0]), x.slice(sizes[0], sizes[0] + sizes[1]), x.slice(sizes[0] + sizes[1])];
    const [w0, b0, g0] = parts(x0);
    model.loadState({ 'adaptor.experts': tf.tensor2d(w0, [d, k * o]), 'adaptor.whiten': tf.tensor2d(b0, [k, d]), 'adaptor.gate': tf.tensor2d(g0, [d, k]) });
    const batch = { users: Int32Array.of(0, 1, 2, 1), pos: Int32Array.of(1, 3, 0, 2), neg: new Int32Array(0), negatives: 0 };
    const f = (x: number[]) => {
      const [w, b, g] = parts(x);
      const items = [0, 1, 2, 3].map((j) => adaptJs(row(tinyItems, j, d), w, b, g, d, k, o));
      const users = Array.from(batch.users).map((u, r) => {
        const h = [...tiny.train.row(u)].filter((j, idx, all) => j !== batch.pos[r] || all.indexOf(j) !== idx);
        return [0, 1].map((c) => h.reduce((s, j) => s + items[j][c], 0) / Math.max(1, h.length));
      });
      let loss = 0;
      users.forEach((uv, r) => {
        const logits = Array.from(batch.pos).map((j) => dot(unit(uv), unit(items[j])) / tau);
        loss += Math.log(logits.reduce((s, l) => s + Math.exp(l), 0)) - logits[r];
      });
      return loss / users.length;
    };
    const vars = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => model.loss(batch), vars);
    expect(value.dataSync()[0]).toBeCloseTo(f(x0), 5);
    const g = vars.flatMap((v) => Array.from(grads[v.name].dataSync()));
    const h = 1e-5;
    x0.forEach((_, i) => {
      const p = x0.slice();
      const m = x0.slice();
      p[i] += h;
      m[i] -= h;
      expect(g[i]).toBeCloseTo((f(p) - f(m)) / (2 * h), 4);
    });
    model.dispose();
  });

  it('trained on two source domains, applied frozen to a third it never saw: beats Popularity there', async () => {
    const centres = randomArray(new Rng(99), 4 * 16);
    const a = plantedDataset(31, { centres, nUsers: 80, nItems: 60 });
    const b = plantedDataset(32, { centres, nUsers: 80, nItems: 70 });
    const target = plantedDataset(33, { centres, nUsers: 90, nItems: 50, offTaste: 0.2 });
    const model = new UniSRec({ experts: 4, outDim: 16 });
    const result = await model.fitDomains(
      [
        { split: a.split, itemEmbeddings: { dim: 16, data: a.items } },
        { split: b.split, itemEmbeddings: { dim: 16, data: b.items } },
      ],
      { epochs: 20, batchSize: 128, lr: 1e-2, evalEvery: 5, seed: 3 },
    );
    expect(result.epochs).toBeGreaterThan(0);
    const zs = model.transferTo(target.split, { dim: 16, data: target.items });
    expect(zs.nItems).toBe(50);
    const mine = await evaluateFullRanking(zs, target.split, { on: 'test', ks: [10] });
    const popularity = new Popularity();
    await popularity.fit(target.split);
    const pop = await evaluateFullRanking(popularity, target.split, { on: 'test', ks: [10] });
    expect(mine.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean + 0.15);
    expect(() => model.transferTo(target.split, { dim: 8, data: new Float32Array(400) })).toThrow(/16-d/);
    zs.dispose();
    model.dispose();
  });

  it('options: strict', () => {
    expect(unisrecOptions.safeParse({ experts: 4, tau: 0.07, lr: 1e-3 }).success).toBe(true);
    expect(JSON.stringify(unisrecOptions.safeParse({ nExperts: 4 }).error?.issues)).toContain('nExperts');
  });
});

describe('UniSRec-style adaptor on users with a single train item', () => {
  it('keeps the loss and its gradient finite when the left-out mean is a zero vector', () => {
    const model = new UniSRec({ itemEmbeddings: { dim: 3, data: Float32Array.from(tinyItems) }, experts: 2, outDim: 2 });
    const split = splitFromRows(4, [[0], [1, 2, 3], [0, 3]]);
    model.init(split, new Rng(1));
    const batch = { users: Int32Array.of(0, 1), pos: Int32Array.of(0, 2), neg: new Int32Array(0), negatives: 0 };
    const vars = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => model.loss(batch), vars);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const v of vars) expect(Array.from(grads[v.name].dataSync()).every(Number.isFinite)).toBe(true);
    model.dispose();
  });
});
