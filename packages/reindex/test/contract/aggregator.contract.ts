import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import type { BaseAggregator } from '../../src/aggregators/index.js';

export interface AggregatorCase {
  name: string;
  /** Builds the aggregator for token width d with a seed. */
  create(dim: number, seed: number): BaseAggregator;
  /** Longest title the case should use (weighted: its maxLen, so every position weight gets a gradient). */
  maxLen?: number;
  /** Whether training mode is stochastic (dropout). */
  stochastic?: boolean;
}

function randomTensor(rng: Rng, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * 0.5;
  return out;
}

/** Ragged titles, each [len * d] */
function titles(rng: Rng, lengths: number[], d: number): Float32Array[] {
  return lengths.map((len) => randomTensor(rng, [len, d]));
}

/** Pads ragged titles to T, filling padding with `fill` values (garbage must not matter). */
function pad(rows: Float32Array[], lengths: number[], T: number, d: number, fill: (i: number) => number) {
  const data = new Float32Array(rows.length * T * d);
  const mask = new Float32Array(rows.length * T);
  rows.forEach((row, r) => {
    for (let i = 0; i < T * d; i++) data[r * T * d + i] = i < lengths[r] * d ? row[i] : fill(i);
    for (let t = 0; t < lengths[r]; t++) mask[r * T + t] = 1;
  });
  return { tokens: tf.tensor3d(data, [rows.length, T, d]), mask: tf.tensor2d(mask, [rows.length, T]) };
}

function run(agg: BaseAggregator, tokens: tf.Tensor3D, mask: tf.Tensor2D, training = false): Float32Array {
  return tf.tidy(() => agg.apply(tokens, mask, training)).dataSync() as Float32Array;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function aggregatorContract(c: AggregatorCase): void {
  describe(`Aggregator contract: ${c.name}`, () => {
    const d = 16;
    const T = c.maxLen ?? 7;
    const lengths = [T, 1, 3, T - 1, 2];
    beforeAll(async () => {
      await initBackend();
    });

    it('maps [n, T, d] + mask to [n, dim] finite vectors', () => {
      const agg = c.create(d, 1);
      const rng = new Rng(11);
      const { tokens, mask } = pad(titles(rng, lengths, d), lengths, T, d, () => 0);
      const out = tf.tidy(() => agg.apply(tokens, mask, false));
      expect(out.shape).toEqual([lengths.length, agg.dim]);
      expect([...out.dataSync()].every(Number.isFinite)).toBe(true);
      tf.dispose([out, tokens, mask]);
      agg.dispose();
    });

    it('padding never changes the output (padded batch vs each title alone)', () => {
      const agg = c.create(d, 2);
      const rng = new Rng(12);
      const rows = titles(rng, lengths, d);
      const garbage = new Rng(99);
      const padded = pad(rows, lengths, T + 3, d, () => garbage.normal() * 100);
      const batch = run(agg, padded.tokens, padded.mask);
      rows.forEach((row, r) => {
        const alone = pad([row], [lengths[r]], lengths[r], d, () => 0);
        const single = run(agg, alone.tokens, alone.mask);
        expect(maxAbsDiff(single, batch.subarray(r * agg.dim, (r + 1) * agg.dim))).toBeLessThan(1e-4);
        tf.dispose([alone.tokens, alone.mask]);
      });
      tf.dispose([padded.tokens, padded.mask]);
      agg.dispose();
    });

    it('is deterministic for a seed (inference and training mode) and differs across seeds when it has weights', () => {
      const rng = new Rng(13);
      const { tokens, mask } = pad(titles(rng, lengths, d), lengths, T, d, () => 0);
      const a = c.create(d, 5);
      const b = c.create(d, 5);
      expect(maxAbsDiff(run(a, tokens, mask), run(b, tokens, mask))).toBe(0);
      expect(maxAbsDiff(run(a, tokens, mask, true), run(b, tokens, mask, true))).toBe(0);
      const other = c.create(d, 6);
      if (a.trainableVariables().length > 0) expect(maxAbsDiff(run(a, tokens, mask), run(other, tokens, mask))).toBeGreaterThan(1e-6);
      if (c.stochastic) {
        // dropout: two training passes draw different masks; inference differs from training
        const t1 = run(a, tokens, mask, true);
        const t2 = run(a, tokens, mask, true);
        expect(maxAbsDiff(t1, t2)).toBeGreaterThan(1e-6);
      }
      tf.dispose([tokens, mask]);
      [a, b, other].forEach((x) => x.dispose());
    });

    it('gradients reach every variable and the token embeddings', () => {
      const agg = c.create(d, 3);
      const rng = new Rng(14);
      const { tokens, mask } = pad(titles(rng, lengths, d), lengths, T, d, () => 0);
      const target = tf.tensor2d(randomTensor(rng, [lengths.length, agg.dim]), [lengths.length, agg.dim]);
      const tokVar = tf.variable(tokens);
      const vars = [...agg.trainableVariables(), tokVar];
      const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(agg.apply(tokVar as unknown as tf.Tensor3D, mask, false), target))) as tf.Scalar, vars);
      for (const v of vars) {
        const g = grads[v.name];
        expect(g, v.name).toBeDefined();
        expect(g.shape).toEqual(v.shape);
        const norm = tf.tidy(() => tf.norm(g).dataSync()[0]);
        expect(norm, `gradient of ${v.name}`).toBeGreaterThan(0);
        expect(Number.isFinite(norm)).toBe(true);
      }
      tf.dispose([value, ...Object.values(grads), tokens, mask, target, tokVar]);
      agg.dispose();
    });

    it('state round trip reproduces outputs; frozen aggregators expose no trainable variables', () => {
      const rng = new Rng(15);
      const { tokens, mask } = pad(titles(rng, lengths, d), lengths, T, d, () => 0);
      const a = c.create(d, 7);
      const b = c.create(d, 8);
      const saved = Object.fromEntries(Object.entries(a.state()).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.dataSync()) }]));
      const restored = Object.fromEntries(Object.entries(saved).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
      b.loadState(restored);
      expect(maxAbsDiff(run(a, tokens, mask), run(b, tokens, mask))).toBe(0);
      expect(Object.keys(a.state()).sort()).toEqual(Object.keys(b.state()).sort());
      const n = a.trainableVariables().length;
      a.freeze();
      expect(a.trainableVariables()).toEqual([]);
      a.unfreeze();
      expect(a.trainableVariables().length).toBe(n);
      tf.dispose([tokens, mask, ...Object.values(restored)]);
      a.dispose();
      b.dispose();
    });

    it('creating and disposing it leaves no tensor behind', () => {
      const before = tf.memory().numTensors;
      c.create(d, 9).dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('leaks no tensors in apply and in a gradient step', () => {
      const agg = c.create(d, 4);
      const rng = new Rng(16);
      const { tokens, mask } = pad(titles(rng, lengths, d), lengths, T, d, () => 0);
      const vars = agg.trainableVariables();
      const step = () => {
        const out = agg.apply(tokens, mask, true);
        out.dispose();
        if (vars.length) {
          const { grads, value } = tf.variableGrads(() => tf.sum(agg.apply(tokens, mask, true)) as tf.Scalar, vars);
          tf.dispose([value, ...Object.values(grads)]);
        }
      };
      step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([tokens, mask]);
      agg.dispose();
    });
  });
}
