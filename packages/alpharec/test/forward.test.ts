import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng } from '@lmrec/core';
import { AlphaRecNet } from '../src/model.js';
import { randomArray, splitFromRows } from './helpers.js';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

/** Plain-loop AlphaRec forward: user means, MLP, sym-normalised bipartite propagation, layer mean. */
function referenceForward(
  train: number[][],
  nItems: number,
  z: Float32Array,
  d: number,
  w: { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array },
  h: number,
  out: number,
  L: number,
): number[][] {
  const nU = train.length;
  const rows: number[][] = [];
  for (let u = 0; u < nU; u++) {
    const m = new Array(d).fill(0);
    for (const j of train[u]) for (let t = 0; t < d; t++) m[t] += z[j * d + t] / train[u].length;
    rows.push(m);
  }
  for (let j = 0; j < nItems; j++) rows.push(Array.from(z.subarray(j * d, (j + 1) * d)));
  const mlp = (x: number[]) => {
    const hid = new Array(h).fill(0).map((_, c) => {
      let s = w.b1[c];
      for (let t = 0; t < d; t++) s += x[t] * w.w1[t * h + c];
      return s > 0 ? s : 0.01 * s;
    });
    return new Array(out).fill(0).map((_, o) => {
      let s = w.b2[o];
      for (let c = 0; c < h; c++) s += hid[c] * w.w2[c * out + o];
      return s;
    });
  };
  let layer = rows.map(mlp);
  const acc = layer.map((r) => r.slice());
  const deg = new Array(nU + nItems).fill(0);
  const edges: [number, number][] = [];
  train.forEach((items, u) => items.forEach((j) => edges.push([u, nU + j])));
  for (const [a, b] of edges) {
    deg[a]++;
    deg[b]++;
  }
  for (let l = 0; l < L; l++) {
    const next = layer.map(() => new Array(out).fill(0));
    for (const [a, b] of edges) {
      const c = 1 / Math.sqrt(deg[a] * deg[b]);
      for (let t = 0; t < out; t++) {
        next[a][t] += c * layer[b][t];
        next[b][t] += c * layer[a][t];
      }
    }
    layer = next;
    layer.forEach((r, i) => r.forEach((v, t) => (acc[i][t] += v)));
  }
  return acc.map((r) => r.map((v) => v / (L + 1)));
}

describe('AlphaRec forward pass', () => {
  it('matches a hand-written reference on a tiny graph (MLP, L = 2 layer mean, cosine scores)', () => {
    const rng = new Rng(7);
    const train = [[0, 2], [1, 2, 3], [3]];
    const nItems = 5; // item 4 has no interactions: it keeps only its layer-0 share
    const d = 6;
    const h = 5;
    const out = 4;
    const z = randomArray(rng, nItems * d);
    const split = splitFromRows(nItems, train);
    const net = new AlphaRecNet({ dim: d, data: z }, { mapping: 'mlp', hidden: h, outDim: out, slope: 0.01, layers: 2, tau: 0.15, negatives: 2, lossKernel: 'auto' });
    net.init(split, new Rng(1));
    const state = net.state();
    const w = {
      w1: state.w1.dataSync() as Float32Array,
      b1: state.b1.dataSync() as Float32Array,
      w2: state.w2.dataSync() as Float32Array,
      b2: state.b2.dataSync() as Float32Array,
    };
    // PyTorch-default init bounds
    expect(Math.max(...w.w1.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(d));
    expect(Math.max(...w.w2.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(h));
    const ref = referenceForward(train, nItems, z, d, w, h, out, 2);
    const fin = net.finalEmbeddings();
    for (let u = 0; u < 3; u++) for (let t = 0; t < out; t++) expect(fin.users[u * out + t]).toBeCloseTo(ref[u][t], 5);
    for (let j = 0; j < nItems; j++) for (let t = 0; t < out; t++) expect(fin.items[j * out + t]).toBeCloseTo(ref[3 + j][t], 5);

    const scores = net.scorer().scoreBlock(Int32Array.from([0, 1, 2]));
    const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    for (let u = 0; u < 3; u++) {
      for (let j = 0; j < nItems; j++) {
        const a = ref[u];
        const b = ref[3 + j];
        const cos = a.reduce((s, x, t) => s + x * b[t], 0) / (norm(a) * norm(b));
        expect(scores[u * nItems + j]).toBeCloseTo(cos, 5);
      }
    }
    net.dispose();
  });

  it('the linear mapping has one bias-free [d, 64] matrix and no graph', () => {
    const rng = new Rng(3);
    const train = [[0], [1, 2]];
    const z = randomArray(rng, 3 * 4);
    const net = new AlphaRecNet({ dim: 4, data: z }, { mapping: 'linear', hidden: 0, outDim: 64, slope: 0.01, layers: 0, tau: 0.15, negatives: 1, lossKernel: 'auto' });
    net.init(splitFromRows(3, train), new Rng(2));
    expect(Object.keys(net.state())).toEqual(['w']);
    const w = net.state().w.dataSync() as Float32Array;
    const fin = net.finalEmbeddings();
    // user 1 = mean(z1, z2) . W
    for (let o = 0; o < 64; o++) {
      let s = 0;
      for (let t = 0; t < 4; t++) s += ((z[4 + t] + z[8 + t]) / 2) * w[t * 64 + o];
      expect(fin.users[64 + o]).toBeCloseTo(s, 5);
    }
    net.dispose();
  });
});
