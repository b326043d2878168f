import { beforeAll, describe, expect, it } from 'vitest';
import { DEPS, initBackend, tf } from '@lmrec/core';
import { aggregatorContract, pluginFactoryContract } from '@lmrec/testing';
import { AttentionPool, attentionPoolModule, attentionPoolPlugin, ORIGIN } from '../src/index.js';

// One call per contract: the Aggregator contract for the class (with and
// without its projection), the plugin-factory contract for the plugin.
aggregatorContract({ name: 'attention-pool', create: (inputDim, seed) => new AttentionPool({ inputDim, seed }) });
aggregatorContract({ name: 'attention-pool (projected)', create: (inputDim, seed) => new AttentionPool({ inputDim, seed, outDim: 5, temperature: 0.5 }) });
pluginFactoryContract({
  point: 'Aggregator',
  factory: attentionPoolPlugin,
  options: { outDim: 4 },
  deps: [[DEPS.InputDim, 8], [DEPS.Seed, 3]],
  check: (agg) => expect([agg.dim, (agg as AttentionPool).temperature]).toEqual([4, 1]),
  dispose: (agg) => agg.dispose(),
  module: attentionPoolModule,
  origin: ORIGIN,
});

describe('attention pooling by hand', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('weights the real tokens by softmax(x . w / temperature) and sums them', () => {
    const agg = new AttentionPool({ inputDim: 2, temperature: 2 });
    agg.loadState({ query: tf.tensor1d([1, -1]) });
    // one title of 3 real tokens and 1 padding token
    const x = [[2, 0], [0, 2], [1, 1], [9, 9]];
    const tokens = tf.tensor3d([x], [1, 4, 2]);
    const mask = tf.tensor2d([[1, 1, 1, 0]]);
    // scores x . w = 2, -2, 0; / 2 -> 1, -1, 0; softmax over the three
    const e = [Math.exp(1), Math.exp(-1), Math.exp(0)];
    const a = e.map((v) => v / (e[0] + e[1] + e[2]));
    const expected = [0, 1].map((c) => a[0] * x[0][c] + a[1] * x[1][c] + a[2] * x[2][c]);
    const weights = tf.tidy(() => agg.weights(tokens, mask).arraySync()[0]);
    weights.forEach((w, t) => expect(w).toBeCloseTo(t < 3 ? a[t] : 0, 6));
    const out = tf.tidy(() => agg.apply(tokens, mask, false).arraySync()[0]);
    out.forEach((v, c) => expect(v).toBeCloseTo(expected[c], 5));
    tf.dispose([tokens, mask]);
    agg.dispose();
  });
});
