import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, DEPS, depsOf, initBackend, PluginRegistry, TYPES } from '@lmrec/core';
import { AlphaRec, alpharecModule, LinearMapping } from '../src/index.js';
import { plantedDataset, tableEncoder } from './helpers.js';

const data = plantedDataset(21, { nUsers: 100, nItems: 60, dim: 12 });
const table = new Map<string, Float32Array>();
for (let j = 0; j < data.split.nItems; j++) table.set(`item ${j}`, data.items.slice(j * data.dim, (j + 1) * data.dim));
for (let c = 0; c < 4; c++) table.set(`taste ${c}`, data.centres.slice(c * data.dim, (c + 1) * data.dim));
let model: AlphaRec;

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  model = new AlphaRec({ itemEmbeddings: { dim: data.dim, data: data.items }, encoder: tableEncoder(data.dim, table), hidden: 24, negatives: 16, batchSize: 128, epochs: 25, evalEvery: 5, patience: 2, lr: 3e-3, tau: 0.2 });
  await model.fit(data.split, { seed: 4 });
});
afterAll(() => model.dispose());

const cos = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let t = 0; t < a.length; t++) {
    d += a[t] * b[t];
    na += a[t] * a[t];
    nb += b[t] * b[t];
  }
  return d / Math.sqrt(na * nb);
};

/** The MLP by hand from the saved weights. */
function mlp(z: ArrayLike<number>): number[] {
  const s = model.net!.state();
  const [w1, b1, w2, b2] = ['w1', 'b1', 'w2', 'b2'].map((k) => s[k].dataSync());
  const h = b1.length;
  const o = b2.length;
  const hid = Array.from({ length: h }, (_, c) => {
    let v = b1[c];
    for (let t = 0; t < z.length; t++) v += z[t] * w1[t * h + c];
    return v > 0 ? v : 0.01 * v;
  });
  return Array.from({ length: o }, (_, k) => {
    let v = b2[k];
    for (let c = 0; c < h; c++) v += hid[c] * w2[c * o + k];
    return v;
  });
}

describe('inference without the training graph', () => {
  it('a training user\'s own history (inGraph) reproduces the trained user vector', () => {
    const f = model.net!.finalEmbeddings();
    for (const u of [0, 7, 42]) {
      const v = model.userVectorForHistory(data.split.train.row(u), { inGraph: true });
      for (let t = 0; t < 64; t++) expect(v[t]).toBeCloseTo(f.users[u * 64 + t], 4);
    }
  });

  it('a new user: MLP(mean z) plus one propagation step per layer over its own edges, recomputed by hand', () => {
    const history = [3, 10, 17];
    const fin = model.net!.finalEmbeddings(true);
    const layers = fin.layers!;
    const nU = data.split.nUsers;
    const deg = new Array(data.split.nItems).fill(0);
    for (const j of data.split.train.indices) deg[j]++;
    const z = new Array(data.dim).fill(0);
    for (const j of history) for (let t = 0; t < data.dim; t++) z[t] += data.items[j * data.dim + t] / history.length;
    const acc = mlp(z);
    for (let l = 1; l <= 2; l++) {
      for (const j of history) {
        const c = 1 / Math.sqrt(history.length * (deg[j] + 1));
        for (let t = 0; t < 64; t++) acc[t] += c * layers[l - 1][(nU + j) * 64 + t];
      }
    }
    const expected = acc.map((v) => v / 3);
    const got = model.userVectorForHistory(history);
    for (let t = 0; t < 64; t++) expect(got[t]).toBeCloseTo(expected[t], 4);
    const rec = model.recommendForHistory(history, 5);
    const scores = Array.from({ length: data.split.nItems }, (_, j) => (history.includes(j) ? -Infinity : cos(expected, fin.items.subarray(j * 64, (j + 1) * 64))));
    const order = scores.map((s, j) => [s, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, 5).map((x) => x[1]);
    expect(Array.from(rec.items)).toEqual(order);
    const batch = model.scoreHistories([Int32Array.from(history), Int32Array.from([0])]);
    for (let j = 0; j < data.split.nItems; j++) expect(batch[j]).toBeCloseTo(cos(expected, fin.items.subarray(j * 64, (j + 1) * 64)), 4);
  });

  it('new items from text: the normalised MLP of their encoder vectors', async () => {
    const v = await model.itemVectorsFromText(['item 5', 'taste 2']);
    const e5 = mlp(data.items.subarray(5 * data.dim, 6 * data.dim));
    const n = Math.hypot(...e5);
    for (let t = 0; t < 64; t++) expect(v[t]).toBeCloseTo(e5[t] / n, 4);
    const s = await model.scoreTextItems({ user: 3 }, ['item 5']);
    const f = model.factors();
    expect(s[0]).toBeCloseTo(cos(f.users.subarray(3 * 64, 4 * 64), e5), 4);
  });
});

describe('user intention', () => {
  it('alpha = 1 ranks the item closest to the intention first; alpha = 0 is the plain history ranking', async () => {
    const fin = model.net!.finalEmbeddings();
    for (const c of [0, 1, 2, 3]) {
      const e = mlp(data.centres.subarray(c * data.dim, (c + 1) * data.dim));
      const other = (c + 1) % 4;
      const history = [other + 4, other + 8]; // a history of another taste: alpha = 1 must ignore it
      let best = -1;
      let bestS = -Infinity;
      for (let j = 0; j < data.split.nItems; j++) {
        if (history.includes(j)) continue;
        const s = cos(e, fin.items.subarray(j * 64, (j + 1) * 64));
        if (s > bestS) [best, bestS] = [j, s];
      }
      const rec = await model.recommend({ history, intention: `taste ${c}`, alpha: 1, k: 3 });
      expect(rec.items[0]).toBe(best);
      // and the planted meaning: the intention "taste c" picks an item of cluster c
      expect(data.cluster[rec.items[0]]).toBe(c);
    }
    const plain = model.recommendForHistory([1, 2], 10);
    const mixed = await model.recommend({ history: [1, 2], intention: 'taste 3', alpha: 0, k: 10 });
    expect(Array.from(mixed.items)).toEqual(Array.from(plain.items));
    await expect(model.recommend({ user: 1, intention: 'taste 3', alpha: 2 })).rejects.toThrow(/alpha/);
  });
});

describe('plugin module', () => {
  it('binds "alpharec" and "linear-mapping" under TYPES.Recommender', async () => {
    const container = createContainer();
    await container.load(alpharecModule);
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(registry.names('Recommender')).toEqual(['alpharec', 'linear-mapping', 'tem', 'unisrec', 'zesrec']);
    const deps = depsOf([[DEPS.ItemEmbeddings, { dim: 4, data: new Float32Array(8) }]]);
    expect(registry.create('Recommender', 'alpharec', { hidden: 8 }, deps)).toBeInstanceOf(AlphaRec);
    expect(registry.create('Recommender', 'linear-mapping', {}, deps)).toBeInstanceOf(LinearMapping);
    // without item vectors it can still load a saved model, but not train
    const bare = registry.create<AlphaRec>('Recommender', 'alpharec', {});
    await expect(bare.fit(data.split)).rejects.toThrow(/item/i);
    expect(() => registry.create('Recommender', 'alpharec', { hiden: 64 }, deps)).toThrow(/field "hiden": unknown option of Recommender "alpharec" \(did you mean "hidden"\?\)/);
    expect(() => registry.create('Recommender', 'linear-mapping', { hidden: 64 }, deps)).toThrow(/field "hidden": unknown option of Recommender "linear-mapping"/);
    expect(() => registry.create('Recommender', 'alpharec', { lr: 'fast' }, deps)).toThrow(/field "lr": Invalid input: expected number, received string/);
  });
});
