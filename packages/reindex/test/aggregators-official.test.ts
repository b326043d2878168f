import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { RnnAggregator, TrmAggregator } from '../src/aggregators/index.js';

// The official RTA code's aggregator reads, recomputed on plain arrays: titles
// padded with zero vectors to the catalogue's longest title, a GRU / encoder
// layer over the whole padded row, the output read at the last valid token.

type Mat = number[][];
const matVec = (x: number[], w: Float32Array, rows: number, cols: number): number[] => {
  const out = new Array(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += x[i] * w[i * cols + j];
  return out;
};
const sig = (x: number) => 1 / (1 + Math.exp(-x));

function refGru(xs: Mat, w: (k: string) => Float32Array, dir: string, d: number, h: number): number[] {
  let state = new Array(h).fill(0);
  for (const x of xs) {
    const gx = matVec(x, w(`gru.${dir}.w_ih`), d, 3 * h).map((v, i) => v + w(`gru.${dir}.b_ih`)[i]);
    const gh = matVec(state, w(`gru.${dir}.w_hh`), h, 3 * h).map((v, i) => v + w(`gru.${dir}.b_hh`)[i]);
    state = state.map((s, j) => {
      const r = sig(gx[j] + gh[j]);
      const z = sig(gx[h + j] + gh[h + j]);
      const n = Math.tanh(gx[2 * h + j] + r * gh[2 * h + j]);
      return (1 - z) * n + z * s;
    });
  }
  return state;
}

const title = (rng: Rng, len: number, d: number): Mat => Array.from({ length: len }, () => Array.from({ length: d }, () => rng.normal()));
const padded = (r: Mat, P: number, d: number): Mat => [...r, ...Array.from({ length: P - r.length }, () => new Array(d).fill(0))];

/** Batch input padded to T with garbage (not zeros): the aggregator must zero it itself. */
function asInput(rows: Mat[], T: number, d: number) {
  const data = new Float32Array(rows.length * T * d).fill(7);
  const mask = new Float32Array(rows.length * T);
  rows.forEach((r, i) => r.forEach((tok, t) => { data.set(tok, (i * T + t) * d); mask[i * T + t] = 1; }));
  return { tokens: tf.tensor3d(data, [rows.length, T, d]), mask: tf.tensor2d(mask, [rows.length, T]) };
}

describe('official aggregator reads (read: padded, mask: false)', () => {
  beforeAll(async () => {
    await initBackend();
  });
  const d = 4;
  const P = 5;
  const rng = new Rng(11);
  const rows = [title(rng, 3, d), title(rng, 1, d), title(rng, 2, d)];

  it('rnn read "padded": forward after the last token, backward run from position padTo - 1 over the zero padding, read at the last token', () => {
    const h = 3;
    const agg = new RnnAggregator({ dim: d, hidden: h, outDim: 2, seed: 4, read: 'padded', padTo: P });
    const st = agg.state();
    const w = (k: string) => st[k].dataSync() as Float32Array;
    const { tokens, mask } = asInput(rows, 3, d);
    const out = agg.apply(tokens, mask, false).arraySync();
    const packed = new RnnAggregator({ dim: d, hidden: h, outDim: 2, seed: 4 }).apply(tokens, mask, false).arraySync();
    rows.forEach((r, i) => {
      const last = r.length - 1;
      const f = refGru(r, w, 'fwd', d, h);
      const bw = refGru(padded(r, P, d).slice(last).reverse(), w, 'bwd', d, h);
      const want = matVec([...f, ...bw], w('linear.weight'), 2 * h, 2).map((v, j) => v + w('linear.bias')[j]);
      want.forEach((v, j) => expect(out[i][j]).toBeCloseTo(v, 4));
    });
    // the two reads really differ (else the option would be a no-op)
    expect(Math.abs(out[0][0] - packed[0][0])).toBeGreaterThan(1e-3);
    const { grads } = tf.variableGrads(() => tf.sum(agg.apply(tokens, mask, true)) as tf.Scalar, agg.trainableVariables());
    expect(Object.values(grads).every((g) => [...g.dataSync()].every(Number.isFinite))).toBe(true);
  });

  it('trm mask false: attention over the zero padding up to padTo, read at the last valid token', () => {
    const H = 2;
    const ffn = 6;
    const agg = new TrmAggregator({ dim: d, heads: H, ffnDim: ffn, seed: 8, mask: false, padTo: P });
    const st = agg.state();
    const g = (k: string) => st[k].dataSync() as Float32Array;
    const { tokens, mask } = asInput(rows, 3, d);
    const out = agg.apply(tokens, mask, false).arraySync();
    const lin = (x: number[], k: string, a: number, b: number) => matVec(x, g(`${k}.weight`), a, b).map((v, j) => v + g(`${k}.bias`)[j]);
    const ln = (x: number[], k: string) => {
      const mu = x.reduce((a, c) => a + c, 0) / x.length;
      const vr = x.reduce((a, c) => a + (c - mu) ** 2, 0) / x.length;
      return x.map((v, j) => ((v - mu) / Math.sqrt(vr + 1e-5)) * g(`${k}.weight`)[j] + g(`${k}.bias`)[j]);
    };
    rows.forEach((r, i) => {
      const seq = padded(r, P, d);
      const last = r.length - 1;
      const [q, k, v] = ['attn.q', 'attn.k', 'attn.v'].map((p) => seq.map((x) => lin(x, p, d, d)));
      const dh = d / H;
      const ctx = new Array(d).fill(0);
      for (let hd = 0; hd < H; hd++) {
        const s = k.map((kk) => kk.slice(hd * dh, (hd + 1) * dh).reduce((acc, kv, j) => acc + q[last][hd * dh + j] * kv, 0) / Math.sqrt(dh));
        const mx = Math.max(...s);
        const e = s.map((x) => Math.exp(x - mx));
        const z = e.reduce((a, c) => a + c, 0);
        for (let j = 0; j < dh; j++) ctx[hd * dh + j] = v.reduce((acc, vv, t) => acc + (e[t] / z) * vv[hd * dh + j], 0);
      }
      const attn = lin(ctx, 'attn.o', d, d);
      const x1 = ln(seq[last].map((x, j) => x + attn[j]), 'norm1');
      const hid = lin(x1, 'ffn.1', d, ffn).map((x) => Math.max(0, x));
      const x2 = ln(x1.map((x, j) => x + lin(hid, 'ffn.2', ffn, d)[j]), 'norm2');
      x2.forEach((val, j) => expect(out[i][j]).toBeCloseTo(val, 4));
    });
    const masked = new TrmAggregator({ dim: d, heads: H, ffnDim: ffn, seed: 8 }).apply(tokens, mask, false).arraySync();
    expect(Math.abs(out[1][0] - masked[1][0])).toBeGreaterThan(1e-3);
  });
});
