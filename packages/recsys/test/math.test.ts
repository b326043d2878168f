import { beforeAll, describe, expect, it } from 'vitest';
import { Csr, initBackend, Rng, tf } from '@lmrec/core';
import { FismNet, LightGcn, MfBpr, MultVae, SasRecNet } from '../src/index.js';
import { plantedSplit } from './helpers.js';

beforeAll(async () => {
  await initBackend();
});

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe('FismNet', () => {
  it('logits = ((e_cls + sum e_h) / sqrt(n + 1)) . e_j + b_j, history cut to maxHistory', () => {
    const nItems = 5;
    const d = 3;
    const net = new FismNet({ nItems, dim: d, maxHistory: 2 });
    const rng = new Rng(1);
    const E = Array.from({ length: (nItems + 1) * d }, () => rng.normal());
    const b = Array.from({ length: nItems }, () => rng.normal());
    net.loadState({ 'item.embedding': tf.tensor2d(E, [nItems + 1, d]), 'item.bias': tf.tensor1d(b) });
    const histories = [Int32Array.of(0, 2), Int32Array.of(), Int32Array.of(3, 4, 4)];
    const got = arr(net.logits(histories, false));
    histories.forEach((h0, r) => {
      const h = h0.length > 2 ? h0.slice(h0.length - 2) : h0;
      const u = [0, 0, 0];
      for (const j of [...h, nItems]) for (let c = 0; c < d; c++) u[c] += E[j * d + c] / Math.sqrt(h.length + 1);
      for (let j = 0; j < nItems; j++) {
        let s = b[j];
        for (let c = 0; c < d; c++) s += u[c] * E[j * d + c];
        expect(got[r * nItems + j]).toBeCloseTo(s, 5);
      }
    });
    // gradients reach the history rows and the CLS row only (plus every item through the output side)
    const { grads } = tf.variableGrads(() => tf.sum(net.logits([Int32Array.of(1)], true)) as tf.Scalar, net.trainableVariables());
    expect(arr(grads[net.trainableVariables()[1].name]).every((g) => g === 1)).toBe(true);
    net.dispose();
  });

  it('init is N(0, 0.01^2) from the seed', () => {
    const a = new FismNet({ nItems: 200, seed: 3 });
    const b = new FismNet({ nItems: 200, seed: 3 });
    const va = arr(a.state()['item.embedding']);
    expect(va).toEqual(arr(b.state()['item.embedding']));
    const std = Math.sqrt(va.reduce((s, x) => s + x * x, 0) / va.length);
    expect(std).toBeGreaterThan(0.0095);
    expect(std).toBeLessThan(0.0105);
    a.dispose();
    b.dispose();
  });
});

/** Independent SASRec forward (1 layer, dropout off) on plain arrays. */
function referenceSasRec(W: Record<string, number[]>, history: number[], nItems: number, d: number, heads: number, L: number): number[] {
  const ln = (x: number[], g: number[], bt: number[]) => {
    const m = x.reduce((a, b) => a + b, 0) / d;
    const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / d;
    return x.map((xi, i) => ((xi - m) / Math.sqrt(v + 1e-8)) * g[i] + bt[i]);
  };
  const lin = (x: number[], w: number[], bias: number[]) => bias.map((bi, o) => bi + x.reduce((s, xi, i) => s + xi * w[i * d + o], 0));
  const h = history.slice(-L);
  const pad = L - h.length;
  const ids = [...Array(pad).fill(nItems), ...h];
  const mask = ids.map((_, t) => (t >= pad ? 1 : 0));
  let x = ids.map((id, t) => Array.from({ length: d }, (_, c) => (W['item.embedding'][id * d + c] * Math.sqrt(d) + W['position.embedding'][t * d + c]) * mask[t]));
  const p = 'layers.0.';
  const q = x.map((row) => ln(row, W[`${p}attn_norm.gamma`], W[`${p}attn_norm.beta`]));
  const Q = q.map((row) => lin(row, W[`${p}attn.wq`], W[`${p}attn.bq`]));
  const K = x.map((row) => lin(row, W[`${p}attn.wk`], W[`${p}attn.bk`]));
  const V = x.map((row) => lin(row, W[`${p}attn.wv`], W[`${p}attn.bv`]));
  const dh = d / heads;
  const ctx = x.map(() => new Array(d).fill(0));
  for (let hd = 0; hd < heads; hd++) {
    for (let i = 0; i < L; i++) {
      const s = Array.from({ length: L }, (_, j) => {
        if (j > i || mask[j] === 0) return -Infinity;
        let dot = 0;
        for (let c = hd * dh; c < (hd + 1) * dh; c++) dot += Q[i][c] * K[j][c];
        return dot / Math.sqrt(dh);
      });
      const mx = Math.max(...s);
      const e = mx === -Infinity ? s.map(() => 1) : s.map((v) => Math.exp(v - mx));
      const z = e.reduce((a, b) => a + b, 0);
      for (let j = 0; j < L; j++) for (let c = hd * dh; c < (hd + 1) * dh; c++) ctx[i][c] += (e[j] / z) * V[j][c];
    }
  }
  x = q.map((row, t) => {
    const o = lin(ctx[t], W[`${p}attn.wo`], W[`${p}attn.bo`]);
    return row.map((v, c) => v + o[c]);
  });
  x = x.map((row, t) => {
    const f = ln(row, W[`${p}ffn_norm.gamma`], W[`${p}ffn_norm.beta`]);
    const inner = lin(f, W[`${p}ffn.w1`], W[`${p}ffn.b1`]).map((v) => Math.max(v, 0));
    const out = lin(inner, W[`${p}ffn.w2`], W[`${p}ffn.b2`]);
    return f.map((v, c) => (v + out[c]) * mask[t]);
  });
  const last = ln(x[L - 1], W['final_norm.gamma'], W['final_norm.beta']);
  return Array.from({ length: nItems }, (_, j) => W['item.bias'][j] + last.reduce((s, v, c) => s + v * W['item.embedding'][j * d + c], 0));
}

describe('SasRecNet', () => {
  const nItems = 7;
  const d = 4;
  const L = 5;
  const make = () => {
    const net = new SasRecNet({ nItems, dim: d, heads: 2, layers: 1, maxLen: L, dropout: 0.5, seed: 9 });
    // non-trivial norms and biases so the reference checks them too
    const rng = new Rng(4);
    const state: Record<string, tf.Tensor> = {};
    for (const [k, t] of Object.entries(net.state())) state[k] = tf.tensor(Array.from({ length: t.size }, () => 0.5 * rng.normal() + (k.endsWith('gamma') ? 1 : 0)), t.shape);
    net.loadState(state);
    return net;
  };

  it('matches an independent forward pass (causal mask, padding, pre-norm block, tied output)', () => {
    const net = make();
    const W = Object.fromEntries(Object.entries(net.state()).map(([k, t]) => [k, arr(t)]));
    const histories = [[1, 2, 3], [6], [0, 1, 2, 3, 4, 5, 6], []];
    const got = arr(net.logits(histories.map((h) => Int32Array.from(h)), false));
    histories.forEach((h, r) => {
      const want = referenceSasRec(W, h, nItems, d, 2, L);
      want.forEach((v, j) => expect(got[r * nItems + j]).toBeCloseTo(v, 3));
    });
    net.dispose();
  });

  it('is causal and ignores the padding row; dropout is seeded', () => {
    const net = make();
    const H1 = net.hidden([Int32Array.of(1, 2, 3)], false).arraySync()[0];
    const H2 = net.hidden([Int32Array.of(1, 2, 5)], false).arraySync()[0];
    H1[L - 2].forEach((v, c) => expect(H2[L - 2][c]).toBeCloseTo(v, 6)); // position of "2" does not see the future
    expect(H1[L - 1]).not.toEqual(H2[L - 1]);
    const before = arr(net.logits([Int32Array.of(1, 2)], false));
    const state = net.state();
    const emb = arr(state['item.embedding']);
    for (let c = 0; c < d; c++) emb[nItems * d + c] = 100;
    net.loadState({ ...state, 'item.embedding': tf.tensor2d(emb, [nItems + 1, d]) });
    arr(net.logits([Int32Array.of(1, 2)], false)).forEach((v, j) => expect(v).toBeCloseTo(before[j], 4));
    net.dropoutRng = new Rng(3);
    const t1 = arr(net.logits([Int32Array.of(1, 2)], true));
    net.dropoutRng = new Rng(3);
    expect(arr(net.logits([Int32Array.of(1, 2)], true))).toEqual(t1);
    expect(t1).not.toEqual(before);
    net.dispose();
  });
});

describe('LightGCN', () => {
  it('scores equal a dense re-implementation of layer-mean propagation', async () => {
    const split = plantedSplit({ users: 12, items: 9, clusters: 3, pIn: 0.6 });
    const m = new LightGcn({ dim: 4, layers: 2 });
    m.init(split, new Rng(1));
    const nU = 12;
    const nI = 9;
    const n = nU + nI;
    const A = new Float64Array(n * n);
    const deg = new Float64Array(n);
    for (let u = 0; u < nU; u++) for (const j of split.train.row(u)) {
      A[u * n + nU + j] = A[(nU + j) * n + u] = 1;
      deg[u]++;
      deg[nU + j]++;
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (A[a * n + b]) A[a * n + b] /= Math.sqrt(deg[a] * deg[b]);
    const E0 = arr(m.state()['ego.embedding']);
    let layer = E0.slice();
    const mean = E0.slice();
    for (let k = 0; k < 2; k++) {
      const next = new Array(n * 4).fill(0);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) for (let c = 0; c < 4; c++) next[a * 4 + c] += A[a * n + b] * layer[b * 4 + c];
      layer = next;
      for (let i = 0; i < mean.length; i++) mean[i] += layer[i];
    }
    const scores = await m.scoreBlock(Int32Array.from({ length: nU }, (_, i) => i));
    for (let u = 0; u < nU; u++) for (let j = 0; j < nI; j++) {
      let s = 0;
      for (let c = 0; c < 4; c++) s += (mean[u * 4 + c] / 3) * (mean[(nU + j) * 4 + c] / 3);
      expect(scores[u * nI + j]).toBeCloseTo(s, 5);
    }
    // the differentiable path gives the same embeddings
    const tape = arr(m.propagate());
    tape.forEach((v, i) => expect(v).toBeCloseTo(mean[i] / 3, 5));
    m.dispose();
  });
});

describe('losses', () => {
  it('MF-BPR loss = mean softplus(s- - s+) + reg/2 * |egos|^2 / B', () => {
    const split = plantedSplit({ users: 6, items: 8, clusters: 2, pIn: 0.7 });
    const m = new MfBpr({ dim: 3, reg: 0.5 });
    m.init(split, new Rng(2));
    const U = arr(m.state()['user.embedding']);
    const I = arr(m.state()['item.embedding']);
    const batch = { users: Int32Array.of(0, 3, 5), pos: Int32Array.of(1, 2, 3), neg: Int32Array.of(4, 5, 6), negatives: 1 };
    const got = m.loss(batch).dataSync()[0];
    let rank = 0;
    let l2 = 0;
    for (let r = 0; r < 3; r++) {
      const dot = (a: number[], ao: number, b: number[], bo: number) => [0, 1, 2].reduce((s, c) => s + a[ao + c] * b[bo + c], 0);
      const diff = dot(U, batch.users[r] * 3, I, batch.neg[r] * 3) - dot(U, batch.users[r] * 3, I, batch.pos[r] * 3);
      rank += Math.log1p(Math.exp(diff)) / 3;
      for (const [t, id] of [[U, batch.users[r]], [I, batch.pos[r]], [I, batch.neg[r]]] as const) for (let c = 0; c < 3; c++) l2 += t[id * 3 + c] ** 2;
    }
    expect(got).toBeCloseTo(rank + (0.5 / 2 / 3) * l2, 5);
    m.dispose();
  });

  it('MultVAE loss = multinomial NLL + beta * KL with beta = step / totalAnnealSteps', () => {
    const split = plantedSplit({ users: 5, items: 6, clusters: 2, pIn: 0.7 });
    const m = new MultVae({ dims: [4, 2], dropout: 0, totalAnnealSteps: 10, annealCap: 0.2 });
    m.init(split, new Rng(3));
    const W = Object.fromEntries(Object.entries(m.state()).map(([k, t]) => [k, arr(t)]));
    const users = Int32Array.of(0, 2, 4);
    const got = m.loss({ users }, { epoch: 0, step: 1, rng: new Rng(77), split }).dataSync()[0];
    const eps = new Rng(77);
    const lin = (x: number[], w: number[], b: number[], nOut: number) => b.map((bi, o) => bi + x.reduce((s, xi, i) => s + xi * w[i * nOut + o], 0)).slice(0, nOut);
    let nll = 0;
    let kl = 0;
    for (const u of users) {
      const x = Array.from({ length: 6 }, (_, j) => (split.train.has(u, j) ? 1 : 0) as number);
      const norm = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
      const h = lin(x.map((v) => v / norm), W['encoder.0.weight'], W['encoder.0.bias'], 4).map(Math.tanh);
      const out = lin(h, W['encoder.1.weight'], W['encoder.1.bias'], 4);
      const mu = out.slice(0, 2);
      const logvar = out.slice(2, 4);
      const z = mu.map((v, i) => v + eps.normal() * Math.exp(0.5 * logvar[i]));
      const h2 = lin(z, W['decoder.0.weight'], W['decoder.0.bias'], 4).map(Math.tanh);
      const logits = lin(h2, W['decoder.1.weight'], W['decoder.1.bias'], 6);
      const mx = Math.max(...logits);
      const lse = mx + Math.log(logits.reduce((s, v) => s + Math.exp(v - mx), 0));
      nll -= logits.reduce((s, v, j) => s + (v - lse) * x[j], 0) / 3;
      kl += mu.reduce((s, v, i) => s + 0.5 * (Math.exp(logvar[i]) - logvar[i] + v * v - 1), 0) / 3;
    }
    expect(got).toBeCloseTo(nll + 0.1 * kl, 4);
    m.dispose();
  });
});

describe('Csr-free sanity', () => {
  it('gatherDiff gradient scatters into repeated rows (wasm has no UnsortedSegmentSum)', async () => {
    const { gatherDiff } = await import('@lmrec/core');
    const t = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]));
    const { grads } = tf.variableGrads(() => tf.sum(gatherDiff(t, Int32Array.of(2, 0, 2))) as tf.Scalar, [t]);
    expect(arr(grads[t.name])).toEqual([1, 1, 0, 0, 2, 2]);
    void Csr;
    t.dispose();
  });
});

describe('matMul with explicit-transpose gradients', () => {
  it('matches tf.matMul values and gradients (rank 2 and 4)', async () => {
    const { matMul } = await import('../src/index.js');
    const rng = new Rng(8);
    const cases: [number[], number[]][] = [[[3, 4], [4, 5]], [[2, 3, 4, 5], [2, 3, 5, 2]]];
    for (const [sa, sb] of cases) {
      const a = tf.tensor(Array.from({ length: sa.reduce((x, y) => x * y, 1) }, () => rng.normal()), [...sa]);
      const b = tf.tensor(Array.from({ length: sb.reduce((x, y) => x * y, 1) }, () => rng.normal()), [...sb]);
      const w = tf.tensor(Array.from({ length: a.shape.slice(0, -1).reduce((x, y) => x * y, 1) * sb[sb.length - 1] }, () => rng.normal()), [...sa.slice(0, -1), sb[sb.length - 1]]);
      const f1 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMul(x, y), w));
      const f2 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D), w));
      const g1 = tf.grads(f1)([a, b]);
      const g2 = tf.grads(f2)([a, b]);
      arr(matMul(a, b)).forEach((v, i) => expect(v).toBeCloseTo(arr(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))[i], 5));
      for (let k = 0; k < 2; k++) arr(g1[k]).forEach((v, i) => expect(v).toBeCloseTo(arr(g2[k])[i], 4));
    }
  });
});
