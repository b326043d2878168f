import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { maxAbsDiff, padTitles, randomTitles, randomValues } from '@lmrec/testing';
import { TrmAggregator } from '../src/aggregators/index.js';

// positions 'read' (only the read query) must be the same function as the
// full-position reference 'all', values and gradients, for every mask shape.

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => maxAbsDiff(a, b) / Math.max(maxAbs(b), 1e-6);

describe("trm positions 'read' = 'all'", () => {
  beforeAll(async () => {
    await initBackend();
  });
  const d = 8;
  const H = 2;
  const ffnDim = 12;
  // T = 5: a full-length row, length 1, an empty row, and lengths between
  const lengths = [3, 1, 5, 0, 2, 4];
  const T = 5;

  const cases: { mask: boolean; padTo: number; training: boolean }[] = [];
  for (const mask of [true, false]) for (const padTo of [3, 8]) for (const training of [false, true]) cases.push({ mask, padTo, training });

  for (const { mask: maskKeys, padTo, training } of cases) {
    it(`mask ${maskKeys}, padTo ${padTo}${training ? ', training with dropout 0' : ''}: outputs to 1e-5, gradients of every variable and of the tokens to 1e-4`, () => {
      const rng = new Rng(20 + padTo + (maskKeys ? 1 : 0));
      const garbage = new Rng(5);
      const { tokens, mask } = padTitles(randomTitles(rng, lengths, d), lengths, T, d, () => garbage.normal() * 10);
      const make = (positions: 'read' | 'all') => new TrmAggregator({ dim: d, heads: H, ffnDim, seed: 3, mask: maskKeys, padTo, dropout: training ? 0 : 0.1, positions });
      const read = make('read');
      const all = make('all');
      const target = tf.tensor2d(randomValues(rng, lengths.length * d, 1), [lengths.length, d]);

      const outRead = tf.tidy(() => read.apply(tokens, mask, training)).dataSync();
      const outAll = tf.tidy(() => all.apply(tokens, mask, training)).dataSync();
      expect(relDiff(outRead, outAll)).toBeLessThan(1e-5);
      // the empty title reads as a zero row (as the all-zero one-hot of 'all' gives)
      expect(maxAbs(outRead.subarray(3 * d, 4 * d))).toBe(0);
      expect(maxAbs(outAll)).toBeGreaterThan(0.1);

      const grads = (agg: TrmAggregator) => {
        const tok = tf.variable(tokens);
        const vars = [...agg.trainableVariables(), tok];
        const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(agg.apply(tok as unknown as tf.Tensor3D, mask, training), target)) as tf.Scalar, vars);
        const names = Object.entries(agg.state()).map(([key, v]) => [key, (v as tf.Variable).name] as const);
        const out: Record<string, Float32Array> = Object.fromEntries(names.map(([key, name]) => [key, Float32Array.from(g[name].dataSync() as Float32Array)]));
        out.tokens = Float32Array.from(g[tok.name].dataSync() as Float32Array);
        tf.dispose([value, tok, ...Object.values(g)]);
        return out;
      };
      const gRead = grads(read);
      const gAll = grads(all);
      expect(Object.keys(gRead).sort()).toEqual(Object.keys(gAll).sort());
      expect(Object.keys(gRead).length).toBe(all.trainableVariables().length + 1);
      for (const key of Object.keys(gAll)) {
        if (key === 'attn.k.bias') {
          // zero but for rounding: a key bias shifts every score of a query alike, and softmax ignores shifts
          const scale = maxAbs(gAll['attn.k.weight']);
          expect(Math.max(maxAbs(gAll[key]), maxAbs(gRead[key])), key).toBeLessThan(1e-5 * scale);
          continue;
        }
        expect(maxAbs(gAll[key]), `gradient of ${key}`).toBeGreaterThan(0);
        expect(relDiff(gRead[key], gAll[key]), `gradient of ${key}`).toBeLessThan(1e-4);
      }
      tf.dispose([tokens, mask, target]);
      read.dispose();
      all.dispose();
    });
  }

  it('masks with holes (not prefixes): the read is still the last valid token, padding inside the row keys as the bias', () => {
    const rows = [[1, 0, 1, 1, 0], [0, 0, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 1]];
    const data = randomValues(new Rng(8), rows.length * T * d, 1);
    const tokens = tf.tensor3d(data, [rows.length, T, d]);
    const mask = tf.tensor2d(rows.flat(), [rows.length, T]);
    for (const maskKeys of [true, false]) {
      const make = (positions: 'read' | 'all') => new TrmAggregator({ dim: d, heads: H, ffnDim, seed: 4, mask: maskKeys, padTo: 7, positions });
      const [read, all] = [make('read'), make('all')];
      const a = tf.tidy(() => read.apply(tokens, mask, false)).dataSync();
      const b = tf.tidy(() => all.apply(tokens, mask, false)).dataSync();
      expect(relDiff(a, b), `mask ${maskKeys}`).toBeLessThan(1e-5);
      read.dispose();
      all.dispose();
    }
    tf.dispose([tokens, mask]);
  });

  it("defaults to 'read'; training with dropout still draws from the seeded stream", () => {
    const { tokens, mask } = padTitles(randomTitles(new Rng(1), lengths, d), lengths, T, d);
    const a = new TrmAggregator({ dim: d, heads: H, ffnDim, seed: 3 });
    const b = new TrmAggregator({ dim: d, heads: H, ffnDim, seed: 3 });
    expect(a.positions).toBe('read');
    const run = (agg: TrmAggregator) => tf.tidy(() => agg.apply(tokens, mask, true)).dataSync();
    const first = run(a);
    expect(maxAbsDiff(first, run(b))).toBe(0);
    expect(maxAbsDiff(first, run(a))).toBeGreaterThan(1e-6);
    tf.dispose([tokens, mask]);
    a.dispose();
    b.dispose();
  });
});
