import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { BiasAdaptedModel, createAdapter, FixedItemIndex, trainAdapt, type AdaptExamples, type AdaptModel } from '../src/index.js';
import { FrozenLlmLogits } from '../src/llm-cache.js';

beforeAll(async () => {
  await initBackend();
});

describe('FrozenLlmLogits (q . V^T cached once for a frozen index)', () => {
  const n = 7;
  const d = 3;
  const rng = new Rng(4);
  const V = Array.from({ length: n * d }, () => rng.normal());
  const examples = 5;
  const set: AdaptExamples = { targets: Int32Array.of(0, 3, 6, 2, 2), histories: Array.from({ length: examples }, () => Int32Array.of()), queries: Float32Array.from({ length: examples * d }, () => rng.normal()), dim: d };

  it('reads q . v_j of the requested rows and columns, as a plain dot product gives', () => {
    const index = new FixedItemIndex(Float32Array.from(V), n, d);
    const model = new BiasAdaptedModel(index, createAdapter('b', n));
    const cache = FrozenLlmLogits.for(model, set)!;
    const rows = Int32Array.of(4, 1);
    const cols = Int32Array.of(6, 0, 0, 5);
    const got = Array.from(cache.logits(rows, cols).dataSync());
    const want = Array.from(rows).flatMap((r) => Array.from(cols, (j) => [0, 1, 2].reduce((s, c) => s + set.queries![r * d + c] * V[j * d + c], 0)));
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
  });

  it('is not used when the index trains, and training with it matches training without it', async () => {
    const trainableIndex = { nItems: n, dim: d, trainableVariables: () => [tf.variable(tf.zeros([1]))] };
    expect(FrozenLlmLogits.for({ name: 'x', nItems: n, usesQueries: true, index: trainableIndex } as unknown as AdaptModel, set)).toBeUndefined();
    const run = async (cached: boolean) => {
      const model = new BiasAdaptedModel(new FixedItemIndex(Float32Array.from(V), n, d), createAdapter('gW+b', n));
      // without an `index` property the loop cannot cache, so it multiplies q . V^T per batch
      const hidden: AdaptModel = { name: 'direct', nItems: n, usesQueries: true, trainableVariables: () => model.trainableVariables(), logits: (b, items, t) => model.logits(b, items, t), state: () => model.state(), loadState: (st) => model.loadState(st) };
      const r = await trainAdapt(cached ? model : hidden, set, undefined, { epochs: 3, batchSize: 2, negatives: 4, learningRate: 0.05, evalAtStart: false, seed: 1 });
      return { losses: r.log.map((l) => l.loss), weights: Object.values(model.adapter.state()).flatMap((t) => Array.from(t.dataSync())) };
    };
    const cached = await run(true);
    const direct = await run(false);
    expect(cached.weights.some((w) => w !== 0 && w !== 1)).toBe(true);
    cached.losses.forEach((l, i) => expect(l).toBeCloseTo(direct.losses[i], 5));
    cached.weights.forEach((x, i) => expect(x).toBeCloseTo(direct.weights[i], 5));
  });
});
