import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { RnnAggregator } from '../src/aggregators/index.js';
import { packedSchedule, packedTokenIndex } from '../src/aggregators/packed-schedule.js';

// steps 'valid' (length-sorted, valid tokens only) against steps 'all' (every
// row at every position, masked): the same outputs and the same gradients.

function batch(rng: Rng, lengths: number[], T: number, d: number) {
  const data = Float32Array.from({ length: lengths.length * T * d }, () => rng.normal());
  const mask = new Float32Array(lengths.length * T);
  lengths.forEach((len, i) => mask.fill(1, i * T, i * T + len));
  return { tokens: tf.tensor3d(data, [lengths.length, T, d]), mask: tf.tensor2d(mask, [lengths.length, T]) };
}

function outputAndGrads(agg: RnnAggregator, tokens: tf.Tensor3D, mask: tf.Tensor2D, probe: tf.Tensor2D) {
  const vars = agg.trainableVariables();
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(agg.apply(tokens, mask, true), probe)) as tf.Scalar, vars);
  const out = agg.apply(tokens, mask, false).arraySync();
  const g = Object.fromEntries(vars.map((v) => [v.name, grads[v.name].arraySync()]));
  tf.dispose([value, grads]);
  return { out, g, names: vars.map((v) => v.name) };
}

const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
function expectClose(a: unknown, b: unknown, tol: number) {
  const x = flat(a);
  const y = flat(b);
  expect(x.length).toBe(y.length);
  const scale = Math.max(1e-3, ...y.map(Math.abs));
  x.forEach((v, i) => expect(Math.abs(v - y[i]) / scale).toBeLessThan(tol));
}

describe('rnn steps "valid" = steps "all"', () => {
  beforeAll(async () => {
    await initBackend();
  });

  const cases: { name: string; lengths: number[]; T: number; read: 'packed' | 'padded'; padTo?: number }[] = [
    { name: 'packed read, mixed lengths', lengths: [3, 1, 5, 2, 5, 4], T: 5, read: 'packed' },
    { name: 'packed read, an empty row', lengths: [2, 0, 4, 1], T: 4, read: 'packed' },
    { name: 'padded read, padTo above the longest', lengths: [3, 1, 2, 6, 1], T: 6, read: 'padded', padTo: 9 },
    { name: 'padded read, padTo below the longest', lengths: [4, 2, 4, 1], T: 4, read: 'padded', padTo: 2 },
    { name: 'padded read, an empty row, one-token batch', lengths: [1, 0, 1], T: 1, read: 'padded', padTo: 3 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rng = new Rng(c.lengths.length * 31 + c.T);
      const d = 5;
      const { tokens, mask } = batch(rng, c.lengths, c.T, d);
      const probe = tf.tensor2d(Float32Array.from({ length: c.lengths.length * 3 }, () => rng.normal()), [c.lengths.length, 3]);
      const make = (steps: 'valid' | 'all') => new RnnAggregator({ dim: d, hidden: 4, outDim: 3, seed: 7, read: c.read, padTo: c.padTo, steps });
      const fast = outputAndGrads(make('valid'), tokens, mask, probe);
      const ref = outputAndGrads(make('all'), tokens, mask, probe);
      expectClose(fast.out, ref.out, 1e-5);
      fast.names.forEach((name, i) => expectClose(fast.g[name], ref.g[ref.names[i]], 1e-4));
      // the gradients are not all zero (the comparison would then be empty)
      expect(flat(fast.g[fast.names[0]]).some((v) => v !== 0)).toBe(true);
    });
  }

  it('a mask with a hole takes the masked path (same result as steps "all")', () => {
    const d = 3;
    const tokens = tf.tensor3d(Float32Array.from({ length: 2 * 3 * d }, (_, i) => Math.sin(i)), [2, 3, d]);
    const mask = tf.tensor2d([1, 0, 1, 1, 1, 0], [2, 3]);
    const a = new RnnAggregator({ dim: d, hidden: 2, outDim: 2, seed: 1 }).apply(tokens, mask, false).arraySync();
    const b = new RnnAggregator({ dim: d, hidden: 2, outDim: 2, seed: 1, steps: 'all' }).apply(tokens, mask, false).arraySync();
    expectClose(a, b, 1e-6);
  });
});

describe('packedSchedule', () => {
  it('sorts rows by length and counts the rows still running at each step', () => {
    const s = packedSchedule([1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0], 4, 3)!;
    expect([...s.lengths]).toEqual([2, 1, 3, 0]);
    expect([...s.order]).toEqual([2, 0, 1, 3]);
    expect(s.batchSizes).toEqual([3, 2, 1]);
    // step 0: rows 2, 0, 1 at token 0; step 1: rows 2, 0 at token 1; step 2: row 2 at token 2
    expect([...packedTokenIndex(s, false)]).toEqual([6, 0, 3, 7, 1, 8]);
    // reversed: each row from its last token back
    expect([...packedTokenIndex(s, true)]).toEqual([8, 1, 3, 7, 0, 6]);
  });

  it('refuses masks that are not a prefix of ones', () => {
    expect(packedSchedule([1, 0, 1], 1, 3)).toBeUndefined();
    expect(packedSchedule([0.5, 0], 1, 2)).toBeUndefined();
  });
});
