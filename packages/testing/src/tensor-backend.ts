import { expect } from 'vitest';
import { activeBackend, initBackend, resetBackendChoice, Rng, tf, type BackendCandidate, type BackendChoice } from '@lmrec/core';
import { matMulJs, maxAbsDiff } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';
import { randomValues } from './tensors.js';

export interface TensorBackendCase {
  name: string;
  /** The candidate a TensorBackend plugin supplies. */
  create(): BackendCandidate;
  /** Max |difference| from float64 JavaScript results. Default 1e-4. */
  tolerance?: number;
}

/**
 * The TensorBackend contract: the candidate is well formed, registers, is
 * activated by `initBackend` when preferred, and then computes a matMul and
 * a gradient equal to plain JavaScript. The backend active before the suite
 * is restored afterwards.
 */
export function tensorBackendSuite(c: TensorBackendCase): Suite {
  const tol = c.tolerance ?? 1e-4;
  let previous: BackendChoice | undefined;
  let previousTf: string | undefined;
  let chosen: Promise<BackendChoice> | undefined;
  const activate = () => {
    // Forget the cached choice so that this candidate is really registered and set.
    resetBackendChoice();
    return (chosen ??= initBackend({ candidates: [c.create()], prefer: c.name, env: {} }));
  };
  return {
    title: `TensorBackend contract: ${c.name}`,
    setup: () => {
      previous = activeBackend();
      previousTf = previous ? undefined : tf.getBackend();
    },
    teardown: async () => {
      resetBackendChoice();
      if (previous) await initBackend({ prefer: previous.name, env: {} }).catch(() => tf.setBackend(previous!.backend));
      else if (previousTf) await tf.setBackend(previousTf);
    },
    checks: [
      {
        title: 'is a well-formed candidate',
        run: () => {
          const candidate = c.create();
          expect(candidate.name).toBe(c.name);
          expect(typeof candidate.backend === 'string' && candidate.backend.length > 0, 'backend').toBe(true);
          expect(typeof candidate.register).toBe('function');
          if (candidate.priority !== undefined) expect(Number.isFinite(candidate.priority), 'priority').toBe(true);
        },
      },
      {
        title: 'registers and becomes the active tfjs backend when preferred',
        run: async () => {
          const choice = await activate();
          expect(choice.name).toBe(c.name);
          expect(choice.skipped).toEqual([]);
          expect(tf.getBackend()).toBe(c.create().backend);
        },
      },
      {
        title: 'runs a matMul equal to a plain JavaScript one',
        run: async () => {
          await activate();
          const rng = new Rng(21);
          const [m, k, n] = [7, 13, 5];
          const a = randomValues(rng, m * k, 1);
          const b = randomValues(rng, k * n, 1);
          const got = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).dataSync());
          expect(maxAbsDiff(got, matMulJs(a, b, m, k, n))).toBeLessThanOrEqual(tol);
          expect(tf.getBackend()).toBe(c.create().backend);
        },
      },
      {
        title: 'computes gradients: d/dx sum(x^2 * w) = 2 x w',
        run: async () => {
          await activate();
          const rng = new Rng(22);
          const x = randomValues(rng, 12, 1);
          const w = randomValues(rng, 12, 1);
          const before = tf.memory().numTensors;
          const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), tf.tensor1d(w))))(tf.tensor1d(x)).dataSync());
          expect(maxAbsDiff(g, Array.from(x, (v, i) => 2 * v * w[i]))).toBeLessThanOrEqual(tol);
          expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
        },
      },
    ],
  };
}

/** Registers the TensorBackend contract for one candidate. */
export function tensorBackendContract(c: TensorBackendCase): void {
  registerSuite(tensorBackendSuite(c));
}
