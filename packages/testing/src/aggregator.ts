import { expect } from 'vitest';
import { initBackend, Rng, tf, type Aggregator } from '@lmrec/core';
import { allFinite, maxAbsDiff } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';
import { copyState, gradientNorms, padTitles, randomTitles, randomValues, toTensors } from './tensors.js';

export interface AggregatorCase {
  name: string;
  /** A fresh aggregator over token embeddings of width `inputDim`, initialised from `seed`. */
  create(inputDim: number, seed: number): Aggregator;
  /** Longest title the checks use (an aggregator with position weights: its maxLen). Default 7. */
  maxLen?: number;
  /** Training mode is stochastic (dropout): two training passes differ. Default false: they must be equal. */
  stochastic?: boolean;
  /** Token width the checks use. Default 16. */
  inputDim?: number;
}

function run(agg: Aggregator, tokens: tf.Tensor3D, mask: tf.Tensor2D, training = false): Float32Array {
  return tf.tidy(() => agg.apply(tokens, mask, training)).dataSync() as Float32Array;
}

/**
 * The Aggregator contract: [n, T, d] + mask -> [n, dim] finite rows that
 * ignore padding, follow the titles when the batch is permuted, are
 * deterministic for a seed, pass gradients to every variable and to the
 * token embeddings, restore from `state()`, and leak no tensors.
 */
export function aggregatorSuite(c: AggregatorCase): Suite {
  const d = c.inputDim ?? 16;
  const T = c.maxLen ?? 7;
  const lengths = [T, 1, 3, T - 1, 2];
  const batch = (seed: number, fill?: () => number, Tpad = T) => {
    const rows = randomTitles(new Rng(seed), lengths, d);
    return { rows, ...padTitles(rows, lengths, Tpad, d, fill) };
  };
  return {
    title: `Aggregator contract: ${c.name}`,
    setup: () => initBackend(),
    checks: [
      {
        title: 'maps [n, T, d] + mask to [n, dim] finite rows',
        run: () => {
          const agg = c.create(d, 1);
          expect(typeof agg.name === 'string' && agg.name.length > 0, 'name').toBe(true);
          expect(Number.isInteger(agg.dim) && agg.dim > 0, `dim ${agg.dim}`).toBe(true);
          const { tokens, mask } = batch(11);
          const out = tf.tidy(() => agg.apply(tokens, mask, false));
          expect(out.shape).toEqual([lengths.length, agg.dim]);
          expect(allFinite(out.dataSync())).toBe(true);
          tf.dispose([out, tokens, mask]);
          agg.dispose();
        },
      },
      {
        title: 'padding never changes the output (padded batch vs each title alone)',
        run: () => {
          const agg = c.create(d, 2);
          const garbage = new Rng(99);
          const { rows, tokens, mask } = batch(12, () => garbage.normal() * 100, T + 3);
          const out = run(agg, tokens, mask);
          rows.forEach((row, r) => {
            const alone = padTitles([row], [lengths[r]], lengths[r], d);
            expect(maxAbsDiff(run(agg, alone.tokens, alone.mask), out.subarray(r * agg.dim, (r + 1) * agg.dim)), `title ${r}`).toBeLessThan(1e-4);
            tf.dispose([alone.tokens, alone.mask]);
          });
          tf.dispose([tokens, mask]);
          agg.dispose();
        },
      },
      {
        title: 'permuting the titles of a batch (with their masks) permutes the output rows',
        run: () => {
          const agg = c.create(d, 3);
          const { rows, tokens, mask } = batch(13);
          const out = run(agg, tokens, mask);
          const order = [3, 0, 4, 1, 2];
          const shuffled = padTitles(order.map((i) => rows[i]), order.map((i) => lengths[i]), T, d);
          const got = run(agg, shuffled.tokens, shuffled.mask);
          order.forEach((src, r) => expect(maxAbsDiff(got.subarray(r * agg.dim, (r + 1) * agg.dim), out.subarray(src * agg.dim, (src + 1) * agg.dim))).toBeLessThan(1e-4));
          tf.dispose([tokens, mask, shuffled.tokens, shuffled.mask]);
          agg.dispose();
        },
      },
      {
        title: c.stochastic ? 'is deterministic for a seed; training passes draw new dropout' : 'is deterministic for a seed, in inference and training mode',
        run: () => {
          const { tokens, mask } = batch(14);
          const [a, b, other] = [c.create(d, 5), c.create(d, 5), c.create(d, 6)];
          expect(maxAbsDiff(run(a, tokens, mask), run(b, tokens, mask)), 'two instances, one seed').toBe(0);
          expect(maxAbsDiff(run(a, tokens, mask, true), run(b, tokens, mask, true)), 'training mode, one seed').toBe(0);
          if (a.trainableVariables().length > 0) expect(maxAbsDiff(run(a, tokens, mask), run(other, tokens, mask)), 'seeds 5 and 6 agree: is the seed used?').toBeGreaterThan(1e-6);
          const t1 = run(a, tokens, mask, true);
          const t2 = run(a, tokens, mask, true);
          if (c.stochastic) expect(maxAbsDiff(t1, t2), 'declared stochastic, but two training passes agree').toBeGreaterThan(1e-6);
          else expect(maxAbsDiff(t1, t2), 'two training passes differ: declare stochastic: true if that is dropout').toBe(0);
          tf.dispose([tokens, mask]);
          [a, b, other].forEach((x) => x.dispose());
        },
      },
      {
        title: 'gradients reach every trainable variable and the token embeddings',
        run: () => {
          const agg = c.create(d, 4);
          const { tokens, mask } = batch(15);
          const target = tf.tensor2d(randomValues(new Rng(3), lengths.length * agg.dim), [lengths.length, agg.dim]);
          const tokVar = tf.variable(tokens);
          const vars = [...agg.trainableVariables(), tokVar];
          const norms = gradientNorms(() => tf.sum(tf.square(tf.sub(agg.apply(tokVar as unknown as tf.Tensor3D, mask, false), target))) as tf.Scalar, vars);
          for (const v of vars) {
            expect(Number.isFinite(norms[v.name]), `gradient of ${v.name}`).toBe(true);
            expect(norms[v.name], `gradient of ${v.name}`).toBeGreaterThan(0);
          }
          tf.dispose([tokens, mask, target, tokVar]);
          agg.dispose();
        },
      },
      {
        title: "loadState(state()) of another seed's instance reproduces the outputs",
        run: () => {
          const { tokens, mask } = batch(16);
          const a = c.create(d, 7);
          const b = c.create(d, 8);
          const restored = toTensors(copyState(a.state()));
          b.loadState(restored);
          expect(maxAbsDiff(run(a, tokens, mask), run(b, tokens, mask))).toBe(0);
          expect(Object.keys(b.state()).sort()).toEqual(Object.keys(a.state()).sort());
          tf.dispose([tokens, mask, ...Object.values(restored)]);
          a.dispose();
          b.dispose();
        },
      },
      {
        title: 'creating and disposing it leaves no tensor behind',
        run: () => {
          const before = tf.memory().numTensors;
          c.create(d, 9).dispose();
          expect(tf.memory().numTensors).toBe(before);
        },
      },
      {
        title: 'leaks no tensors in apply and in a gradient step',
        run: () => {
          const agg = c.create(d, 10);
          const { tokens, mask } = batch(17);
          const vars = agg.trainableVariables();
          const step = () => {
            agg.apply(tokens, mask, true).dispose();
            if (vars.length) gradientNorms(() => tf.sum(agg.apply(tokens, mask, true)) as tf.Scalar, vars);
          };
          step();
          const before = tf.memory().numTensors;
          for (let i = 0; i < 3; i++) step();
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([tokens, mask]);
          agg.dispose();
        },
      },
    ],
  };
}

/** Registers the Aggregator contract for one implementation. */
export function aggregatorContract(c: AggregatorCase): void {
  registerSuite(aggregatorSuite(c));
}
