import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { aggregatorContract } from '@lmrec/testing';
import { RnnAggregator, SumAggregator, TrmAggregator, WeightedAggregator, type BaseAggregator } from '../src/aggregators/index.js';

aggregatorContract({ name: 'sum', create: (dim) => new SumAggregator({ dim }) });
aggregatorContract({ name: 'weighted', create: (dim, seed) => new WeightedAggregator({ dim, seed, maxLen: 7 }), maxLen: 7 });
aggregatorContract({ name: 'rnn', create: (dim, seed) => new RnnAggregator({ dim, hidden: 6, outDim: 12, seed }) });
aggregatorContract({ name: 'trm', create: (dim, seed) => new TrmAggregator({ dim, heads: 4, ffnDim: 24, seed }), stochastic: true });

describe('freeze / unfreeze (reindex aggregators beyond the Aggregator interface)', () => {
  beforeAll(async () => {
    await initBackend();
  });
  const makers: [string, () => BaseAggregator][] = [
    ['weighted', () => new WeightedAggregator({ dim: 8, seed: 1, maxLen: 5 })],
    ['rnn', () => new RnnAggregator({ dim: 8, hidden: 4, outDim: 6, seed: 1 })],
    ['trm', () => new TrmAggregator({ dim: 8, heads: 2, ffnDim: 12, seed: 1 })],
  ];
  for (const [name, make] of makers) {
    it(`${name}: a frozen aggregator exposes no trainable variables; unfreezing restores them`, () => {
      const agg = make();
      const n = agg.trainableVariables().length;
      expect(n).toBeGreaterThan(0);
      agg.freeze();
      expect(agg.trainableVariables()).toEqual([]);
      agg.unfreeze();
      expect(agg.trainableVariables().length).toBe(n);
      agg.dispose();
    });
  }
});

// ---- independent plain-JS reference implementations ----
type Mat = number[][];
const matVec = (x: number[], w: Float32Array, rows: number, cols: number): number[] => {
  const out = new Array(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += x[i] * w[i * cols + j];
  return out;
};
const sig = (x: number) => 1 / (1 + Math.exp(-x));

function refGru(xs: Mat, wih: Float32Array, whh: Float32Array, bih: Float32Array, bhh: Float32Array, d: number, h: number): number[] {
  let state = new Array(h).fill(0);
  for (const x of xs) {
    const gx = matVec(x, wih, d, 3 * h).map((v, i) => v + bih[i]);
    const gh = matVec(state, whh, h, 3 * h).map((v, i) => v + bhh[i]);
    const next = new Array(h);
    for (let j = 0; j < h; j++) {
      const r = sig(gx[j] + gh[j]);
      const z = sig(gx[h + j] + gh[h + j]);
      const n = Math.tanh(gx[2 * h + j] + r * gh[2 * h + j]);
      next[j] = (1 - z) * n + z * state[j];
    }
    state = next;
  }
  return state;
}

function title(rng: Rng, len: number, d: number): Mat {
  return Array.from({ length: len }, () => Array.from({ length: d }, () => rng.normal()));
}

function asInput(rows: Mat[], T: number, d: number) {
  const data = new Float32Array(rows.length * T * d);
  const mask = new Float32Array(rows.length * T);
  rows.forEach((r, i) => r.forEach((tok, t) => { data.set(tok, (i * T + t) * d); mask[i * T + t] = 1; }));
  return { tokens: tf.tensor3d(data, [rows.length, T, d]), mask: tf.tensor2d(mask, [rows.length, T]) };
}

describe('aggregators against plain-JS references', () => {
  beforeAll(async () => {
    await initBackend();
  });
  const d = 5;
  const rng = new Rng(3);
  const rows = [title(rng, 3, d), title(rng, 1, d), title(rng, 4, d)];

  it('sum is the masked sum', () => {
    const { tokens, mask } = asInput(rows, 4, d);
    const out = new SumAggregator({ dim: d }).apply(tokens, mask, false).arraySync();
    rows.forEach((r, i) => {
      for (let j = 0; j < d; j++) expect(out[i][j]).toBeCloseTo(r.reduce((s, tok) => s + tok[j], 0), 4);
    });
  });

  it('weighted = softmax(position logits over valid tokens) pooling, then Linear', () => {
    const agg = new WeightedAggregator({ dim: d, outDim: 3, maxLen: 4, seed: 1 });
    const logits = [0.3, -1.2, 0.7, 2.0];
    agg.loadState({ ...agg.state(), position_logits: tf.tensor1d(logits) });
    const st = agg.state();
    const w = st['linear.weight'].dataSync() as Float32Array;
    const b = st['linear.bias'].dataSync() as Float32Array;
    const { tokens, mask } = asInput(rows, 4, d);
    const out = agg.apply(tokens, mask, false).arraySync();
    rows.forEach((r, i) => {
      const e = r.map((_, t) => Math.exp(logits[t]));
      const z = e.reduce((a, c) => a + c, 0);
      const pooled = new Array(d).fill(0);
      r.forEach((tok, t) => tok.forEach((v, j) => (pooled[j] += (v * e[t]) / z)));
      const expected = matVec(pooled, w, d, 3).map((v, j) => v + b[j]);
      expected.forEach((v, j) => expect(out[i][j]).toBeCloseTo(v, 4));
    });
  });

  it('rnn = Linear([forward GRU after last valid token, backward GRU after running back to position 0])', () => {
    const h = 4;
    const agg = new RnnAggregator({ dim: d, hidden: h, outDim: 2, seed: 9 });
    const st = agg.state();
    const g = (k: string) => st[k].dataSync() as Float32Array;
    const { tokens, mask } = asInput(rows, 4, d);
    const out = agg.apply(tokens, mask, false).arraySync();
    rows.forEach((r, i) => {
      const f = refGru(r, g('gru.fwd.w_ih'), g('gru.fwd.w_hh'), g('gru.fwd.b_ih'), g('gru.fwd.b_hh'), d, h);
      const bw = refGru([...r].reverse(), g('gru.bwd.w_ih'), g('gru.bwd.w_hh'), g('gru.bwd.b_ih'), g('gru.bwd.b_hh'), d, h);
      const expected = matVec([...f, ...bw], g('linear.weight'), 2 * h, 2).map((v, j) => v + g('linear.bias')[j]);
      expected.forEach((v, j) => expect(out[i][j]).toBeCloseTo(v, 4));
    });
  });

  it('one-token titles (T = 1, common with word-level backbones): rnn output as the reference, and every aggregator has gradients', () => {
    const single = [title(rng, 1, 4), title(rng, 1, 4)];
    const { tokens, mask } = asInput(single, 1, 4);
    const rnn = new RnnAggregator({ dim: 4, hidden: 3, outDim: 2, seed: 5 });
    const st = rnn.state();
    const g = (k: string) => st[k].dataSync() as Float32Array;
    const out = rnn.apply(tokens, mask, false).arraySync();
    single.forEach((r, i) => {
      const f = refGru(r, g('gru.fwd.w_ih'), g('gru.fwd.w_hh'), g('gru.fwd.b_ih'), g('gru.fwd.b_hh'), 4, 3);
      const bw = refGru(r, g('gru.bwd.w_ih'), g('gru.bwd.w_hh'), g('gru.bwd.b_ih'), g('gru.bwd.b_hh'), 4, 3);
      matVec([...f, ...bw], g('linear.weight'), 6, 2).forEach((v, j) => expect(out[i][j]).toBeCloseTo(v + g('linear.bias')[j], 4));
    });
    for (const agg of [new WeightedAggregator({ dim: 4, seed: 1 }), rnn, new TrmAggregator({ dim: 4, heads: 2, ffnDim: 6, seed: 2 })]) {
      const { value, grads } = tf.variableGrads(() => tf.sum(agg.apply(tokens, mask, true)) as tf.Scalar, agg.trainableVariables());
      expect(Object.keys(grads).length).toBe(agg.trainableVariables().length);
      expect(Object.values(grads).every((t) => [...t.dataSync()].every(Number.isFinite))).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
      agg.dispose();
    }
    tf.dispose([tokens, mask]);
  });

  it('trm (inference) = post-norm encoder layer read at the last valid token', () => {
    const dm = 4;
    const H = 2;
    const agg = new TrmAggregator({ dim: dm, heads: H, ffnDim: 6, seed: 4 });
    const st = agg.state();
    const g = (k: string) => st[k].dataSync() as Float32Array;
    const trows = [title(rng, 3, dm), title(rng, 2, dm)];
    const { tokens, mask } = asInput(trows, 3, dm);
    const out = agg.apply(tokens, mask, false).arraySync();
    const lin = (x: number[], k: string, a: number, b: number) => matVec(x, g(`${k}.weight`), a, b).map((v, j) => v + g(`${k}.bias`)[j]);
    const ln = (x: number[], k: string) => {
      const mu = x.reduce((a, c) => a + c, 0) / x.length;
      const vr = x.reduce((a, c) => a + (c - mu) ** 2, 0) / x.length;
      return x.map((v, j) => ((v - mu) / Math.sqrt(vr + 1e-5)) * g(`${k}.weight`)[j] + g(`${k}.bias`)[j]);
    };
    trows.forEach((r, i) => {
      const q = r.map((x) => lin(x, 'attn.q', dm, dm));
      const k = r.map((x) => lin(x, 'attn.k', dm, dm));
      const v = r.map((x) => lin(x, 'attn.v', dm, dm));
      const last = r.length - 1;
      const dh = dm / H;
      const ctx = new Array(dm).fill(0);
      for (let hd = 0; hd < H; hd++) {
        const s = k.map((kk) => { let acc = 0; for (let j = 0; j < dh; j++) acc += q[last][hd * dh + j] * kk[hd * dh + j]; return acc / Math.sqrt(dh); });
        const mx = Math.max(...s);
        const e = s.map((x) => Math.exp(x - mx));
        const z = e.reduce((a, c) => a + c, 0);
        for (let j = 0; j < dh; j++) ctx[hd * dh + j] = v.reduce((acc, vv, t) => acc + (e[t] / z) * vv[hd * dh + j], 0);
      }
      const attn = lin(ctx, 'attn.o', dm, dm);
      const x1 = ln(r[last].map((x, j) => x + attn[j]), 'norm1');
      const hid = lin(x1, 'ffn.1', dm, 6).map((x) => Math.max(0, x));
      const ffn = lin(hid, 'ffn.2', 6, dm);
      const x2 = ln(x1.map((x, j) => x + ffn[j]), 'norm2');
      x2.forEach((val, j) => expect(out[i][j]).toBeCloseTo(val, 4));
    });
  });
});
