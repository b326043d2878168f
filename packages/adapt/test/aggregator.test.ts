import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { ReindexModel, WeightedAggregator } from '@lmrec/reindex';
import { BiasAdaptedModel, BiasAdapter, FixedItemIndex, makeBatch, scoreRows, sampledSoftmaxLoss, TrainableItemIndex, trainAdapt, type AdaptExamples } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

const D = 8;
const N_ITEMS = 24;

function catalogue(seed: number): ReindexModel {
  const rng = new Rng(seed);
  const vocab = 40;
  const titleTokenIds = Array.from({ length: N_ITEMS }, () => Array.from({ length: 1 + rng.int(4) }, () => rng.int(vocab)));
  const tokenIds = Array.from({ length: vocab }, (_, i) => i);
  const tokenTable = Float32Array.from({ length: vocab * D }, () => rng.normal());
  return new ReindexModel({ aggregator: new WeightedAggregator({ dim: D, seed: 3 }), titleTokenIds, tokenIds, tokenTable, dim: D });
}

function examples(n: number, seed: number): AdaptExamples {
  const rng = new Rng(seed);
  return {
    targets: Int32Array.from({ length: n }, () => rng.int(N_ITEMS)),
    histories: Array.from({ length: n }, () => new Int32Array(0)),
    queries: Float32Array.from({ length: n * D }, () => rng.normal()),
    dim: D,
  };
}

const snapshot = (vars: tf.Variable[]) => vars.map((v) => Float32Array.from(v.dataSync()));

describe('aggregator frozen vs trainable', () => {
  it('frozen: the aggregator weights stay bit-identical while the adapter trains', async () => {
    const model = catalogue(1);
    const before = snapshot(model.aggregator.trainableVariables());
    const vBefore = model.itemMatrixData();
    const index = FixedItemIndex.freeze(model);
    const adapter = new BiasAdapter(N_ITEMS);
    const adapted = new BiasAdaptedModel(index, adapter);
    expect(adapted.trainableVariables()).toEqual(adapter.trainableVariables());
    await trainAdapt(adapted, examples(300, 2), examples(60, 3), { epochs: 3, learningRate: 0.05, patience: 10, evalAtStart: false, batchSize: 64 });
    const after = snapshot(model.aggregator.trainableVariables());
    after.forEach((a, i) => expect(a).toEqual(before[i]));
    expect(model.itemMatrixData()).toEqual(vBefore);
    // the frozen index is V^T itself
    expect(index.itemsTData()).toEqual(vBefore);
    expect(adapter.values('bias').some((b) => b !== 0)).toBe(true);
    adapter.dispose();
    index.dispose();
    model.aggregator.dispose();
    model.dispose();
  });

  it('trainable: the adapt loss gradient reaches the aggregator (matches finite differences) and training moves V', async () => {
    const model = catalogue(4);
    const index = new TrainableItemIndex(model);
    const adapter = new BiasAdapter(N_ITEMS);
    const adapted = new BiasAdaptedModel(index, adapter);
    const aggVars = model.aggregator.trainableVariables();
    expect(adapted.trainableVariables()).toEqual([...adapter.trainableVariables(), ...aggVars]);

    const train = examples(200, 5);
    const rows = Int32Array.from({ length: 16 }, (_, i) => i);
    const cols = Int32Array.from([...Array.from(rows, (r) => train.targets[r]), ...Array.from({ length: N_ITEMS }, (_, i) => i)]);
    const batch = makeBatch(train, rows, adapted);
    const lossAt = () => tf.tidy(() => sampledSoftmaxLoss(adapted.logits(batch, cols, false), rows.length).dataSync()[0]);
    const { value, grads } = tf.variableGrads(() => sampledSoftmaxLoss(adapted.logits(batch, cols, false), rows.length), aggVars);
    // the Linear weight (a shared bias would cancel in the softmax)
    const weight = aggVars.find((v) => v.shape.length === 2)!;
    const analytic = grads[weight.name].dataSync()[0];
    expect(Math.abs(analytic)).toBeGreaterThan(1e-4);
    const base = Float32Array.from(weight.dataSync());
    const eps = 1e-2;
    const shifted = (delta: number) => {
      const b = Float32Array.from(base);
      b[0] += delta;
      tf.tidy(() => weight.assign(tf.tensor(b, weight.shape)));
      return lossAt();
    };
    const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
    shifted(0);
    expect(numeric).toBeCloseTo(analytic, 2);
    tf.dispose([value, ...Object.values(grads), batch.queries!]);

    const before = snapshot(aggVars);
    const vBefore = Float32Array.from(index.itemsT().dataSync());
    await trainAdapt(adapted, train, undefined, { epochs: 2, learningRate: 0.05, batchSize: 64 });
    const after = snapshot(aggVars);
    expect(after.some((a, i) => a.some((x, j) => x !== before[i][j]))).toBe(true);
    const vAfter = Float32Array.from(index.itemsT().dataSync());
    expect(vAfter.some((x, j) => Math.abs(x - vBefore[j]) > 1e-4)).toBe(true);
    // the cached scoring matrix is the aggregator's current V
    expect(Array.from(vAfter)).toEqual(Array.from(model.itemMatrixData()));
    adapter.dispose();
    index.dispose();
    model.aggregator.dispose();
    model.dispose();
  });

  it('indexLearningRate routes the aggregator to its own optimiser (0 = no change, bias still trains)', async () => {
    const model = catalogue(7);
    const index = new TrainableItemIndex(model);
    const adapter = new BiasAdapter(N_ITEMS);
    const adapted = new BiasAdaptedModel(index, adapter);
    expect(adapted.indexVariables()).toEqual(model.aggregator.trainableVariables());
    const before = snapshot(model.aggregator.trainableVariables());
    await trainAdapt(adapted, examples(200, 10), undefined, { epochs: 2, learningRate: 0.05, indexLearningRate: 0, batchSize: 64 });
    snapshot(model.aggregator.trainableVariables()).forEach((a, i) => expect(a).toEqual(before[i]));
    expect(adapter.values('bias').some((b) => b !== 0)).toBe(true);
    await trainAdapt(adapted, examples(200, 10), undefined, { epochs: 1, learningRate: 0.05, indexLearningRate: 0.05, batchSize: 64 });
    expect(snapshot(model.aggregator.trainableVariables()).some((a, i) => a.some((x, j) => x !== before[i][j]))).toBe(true);
    adapter.dispose();
    index.dispose();
    model.aggregator.dispose();
    model.dispose();
  });

  it('trainable: restoring a saved state (keep-best) also refreshes the cached item matrix', async () => {
    const model = catalogue(6);
    const index = new TrainableItemIndex(model);
    const adapted = new BiasAdaptedModel(index, new BiasAdapter(N_ITEMS));
    const valid = examples(40, 8);
    const rows = Int32Array.from({ length: 40 }, (_, i) => i);
    const before = await scoreRows(adapted, valid, rows);
    const saved = Object.fromEntries(Object.entries(adapted.state()).map(([k, t]) => [k, tf.clone(t)]));
    await trainAdapt(adapted, examples(200, 9), undefined, { epochs: 2, learningRate: 0.1, batchSize: 64 });
    const trained = await scoreRows(adapted, valid, rows);
    expect(trained.some((x, j) => Math.abs(x - before[j]) > 1e-3)).toBe(true);
    adapted.loadState(saved);
    expect(await scoreRows(adapted, valid, rows)).toEqual(before);
    tf.dispose(Object.values(saved));
    adapted.adapter.dispose();
    index.dispose();
    model.aggregator.dispose();
    model.dispose();
  });
});
