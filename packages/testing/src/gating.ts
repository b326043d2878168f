import { expect } from 'vitest';
import { initBackend, Rng, tf, type GatingRecommender } from '@lmrec/core';
import { allFinite, caught, expectLmrecError, maxAbsDiff } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';
import { copyState, gradientNorms, toTensors } from './tensors.js';

export interface GatingRecommenderCase {
  name: string;
  /** A fresh net over `nItems` items, initialised from `seed`. */
  create(nItems: number, seed: number): GatingRecommender;
  /** Catalogue size the checks use. Default 20. */
  nItems?: number;
  /** Training mode is stochastic (dropout). Default false: two training passes must agree. */
  stochastic?: boolean;
  /** Adam steps and learning rate of the learning check (the loss must fall by a fifth); false skips. Default { steps: 40, lr: 0.05 }. */
  learns?: { steps: number; lr: number } | false;
}

/** Histories of different lengths, the empty one (a conversation's first turn) included. */
function histories(nItems: number): Int32Array[] {
  return [Int32Array.of(1, 4, 2), Int32Array.of(), Int32Array.of(nItems - 1), Int32Array.of(3, 3, 0, 5, 7, 1), Int32Array.of(6, 2)];
}

function logits(net: GatingRecommender, h: readonly Int32Array[], training = false): Float32Array {
  return tf.tidy(() => net.logits(h, training)).dataSync() as Float32Array;
}

function crossEntropy(net: GatingRecommender, h: readonly Int32Array[], targets: Int32Array, training: boolean): tf.Scalar {
  return tf.tidy(() => {
    const z = net.logits(h, training);
    const picked = tf.sum(tf.mul(z, tf.oneHot(tf.tensor1d(targets, 'int32'), net.nItems).toFloat()), 1);
    return tf.mean(tf.sub(tf.logSumExp(z, 1), picked)) as tf.Scalar;
  });
}

/**
 * The GatingRecommender contract (RTA's gate): [n, nItems] finite logits
 * per item history, independent of the batch, deterministic for a seed,
 * differentiable in every variable, restorable from `state()`, leak-free,
 * strict about item ids, and able to learn a planted successor pattern.
 */
export function gatingRecommenderSuite(c: GatingRecommenderCase): Suite {
  const n = c.nItems ?? 20;
  const H = histories(n);
  const checks: Suite['checks'] = [
    {
      title: 'gives [histories, nItems] finite logits',
      run: () => {
        const net = c.create(n, 1);
        expect(typeof net.name === 'string' && net.name.length > 0, 'name').toBe(true);
        expect(net.nItems).toBe(n);
        const z = tf.tidy(() => net.logits(H, false));
        expect(z.shape).toEqual([H.length, n]);
        expect(allFinite(z.dataSync())).toBe(true);
        z.dispose();
        net.dispose();
      },
    },
    {
      title: "a history's logits do not depend on the other histories in the batch",
      run: () => {
        const net = c.create(n, 2);
        const all = logits(net, H);
        H.forEach((h, r) => expect(maxAbsDiff(logits(net, [h]), all.subarray(r * n, (r + 1) * n)), `history ${r}`).toBeLessThan(1e-4));
        net.dispose();
      },
    },
    {
      title: c.stochastic ? 'is deterministic for a seed; training passes draw new dropout' : 'is deterministic for a seed, in inference and training mode',
      run: () => {
        const [a, b, other] = [c.create(n, 5), c.create(n, 5), c.create(n, 6)];
        expect(maxAbsDiff(logits(a, H), logits(b, H)), 'two instances, one seed').toBe(0);
        expect(maxAbsDiff(logits(a, H), logits(other, H)), 'seeds 5 and 6 agree: is the seed used?').toBeGreaterThan(1e-7);
        const t1 = logits(a, H, true);
        const t2 = logits(a, H, true);
        if (c.stochastic) expect(maxAbsDiff(t1, t2), 'declared stochastic, but two training passes agree').toBeGreaterThan(1e-7);
        else expect(maxAbsDiff(t1, t2), 'two training passes differ: declare stochastic: true if that is dropout').toBe(0);
        [a, b, other].forEach((x) => x.dispose());
      },
    },
    {
      title: 'gradients of a cross-entropy loss reach every trainable variable',
      run: () => {
        const net = c.create(n, 3);
        const targets = Int32Array.from(H, (_, i) => (i * 7) % n);
        const norms = gradientNorms(() => crossEntropy(net, H, targets, false), net.trainableVariables());
        expect(Object.keys(norms).length).toBeGreaterThan(0);
        for (const [name, g] of Object.entries(norms)) expect(g, `gradient of ${name}`).toBeGreaterThan(0);
        net.dispose();
      },
    },
    {
      title: 'columnLogits, when it has one, equals those columns of logits, with gradients',
      run: (ctx) => {
        const net = c.create(n, 4);
        if (!net.columnLogits) {
          net.dispose();
          return ctx.skip('the recommender has no columnLogits()');
        }
        const cols = Int32Array.from([n - 1, 0, 3, 3, n - 1]);
        const all = logits(net, H);
        const some = tf.tidy(() => net.columnLogits!(H, cols, false)).dataSync();
        H.forEach((_, r) => cols.forEach((j, k) => expect(Math.abs(some[r * cols.length + k] - all[r * n + j]), `history ${r}, column ${j}`).toBeLessThan(1e-5)));
        const norms = gradientNorms(() => tf.mean(tf.square(net.columnLogits!(H, cols, true))) as tf.Scalar, net.trainableVariables());
        expect(Object.values(norms).some((g) => g > 0), 'no gradient reaches the variables').toBe(true);
        net.dispose();
      },
    },
    {
      title: "loadState(state()) of another seed's instance reproduces the logits",
      run: () => {
        const a = c.create(n, 7);
        const b = c.create(n, 8);
        const restored = toTensors(copyState(a.state()));
        b.loadState(restored);
        expect(maxAbsDiff(logits(a, H), logits(b, H))).toBe(0);
        expect(Object.keys(b.state()).sort()).toEqual(Object.keys(a.state()).sort());
        tf.dispose(Object.values(restored));
        a.dispose();
        b.dispose();
      },
    },
    {
      title: 'an item id outside [0, nItems) is an LmrecError, not a silent row',
      run: async () => {
        const net = c.create(n, 9);
        for (const bad of [n, -1]) expectLmrecError(await caught(() => tf.tidy(() => net.logits([Int32Array.of(0, bad)], false))));
        net.dispose();
      },
    },
    {
      title: 'creating and disposing it, logits and gradient steps leave no tensor behind',
      run: () => {
        const before = tf.memory().numTensors;
        c.create(n, 10).dispose();
        expect(tf.memory().numTensors, 'create + dispose').toBe(before);
        const net = c.create(n, 11);
        const targets = Int32Array.from(H, (_, i) => i % n);
        const step = () => {
          net.logits(H, true).dispose();
          gradientNorms(() => crossEntropy(net, H, targets, true), net.trainableVariables());
        };
        step();
        const mid = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) step();
        expect(tf.memory().numTensors, 'tensors grow per step').toBe(mid);
        net.dispose();
      },
    },
  ];
  if (c.learns !== false) checks.push(learningCheck(c, n, c.learns ?? { steps: 40, lr: 0.05 }));
  return { title: `GatingRecommender contract: ${c.name}`, setup: () => initBackend(), checks };
}

/** Next item = last item + 1 (mod n): any history model learns it from a few Adam steps. */
function learningCheck(c: GatingRecommenderCase, n: number, o: { steps: number; lr: number }): Suite['checks'][number] {
  return {
    title: `learns a planted successor pattern (cross-entropy falls by a fifth in ${o.steps} Adam steps)`,
    run: () => {
      const rng = new Rng(4);
      const hs = Array.from({ length: 64 }, () => Int32Array.from({ length: 1 + rng.int(4) }, () => rng.int(n)));
      const targets = Int32Array.from(hs, (h) => (h[h.length - 1] + 1) % n);
      const net = c.create(n, 12);
      const optimizer = tf.train.adam(o.lr);
      const first = tf.tidy(() => crossEntropy(net, hs, targets, false).dataSync()[0]);
      for (let s = 0; s < o.steps; s++) tf.tidy(() => void optimizer.minimize(() => crossEntropy(net, hs, targets, true), false, net.trainableVariables()));
      const last = tf.tidy(() => crossEntropy(net, hs, targets, false).dataSync()[0]);
      expect(last, `loss ${first.toFixed(4)} -> ${last.toFixed(4)}`).toBeLessThan(0.8 * first);
      optimizer.dispose();
      net.dispose();
    },
  };
}

/** Registers the GatingRecommender contract for one implementation. */
export function gatingRecommenderContract(c: GatingRecommenderCase): void {
  registerSuite(gatingRecommenderSuite(c));
}
