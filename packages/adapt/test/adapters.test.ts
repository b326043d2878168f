import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { AdamOptimizer, clipByGlobalNorm } from '@lmrec/recsys';
import {
  BiasAdaptedModel,
  BiasAdapter,
  createAdapter,
  FixedItemIndex,
  sampledSoftmaxLoss,
  ScaleAdapter,
  ScaleBiasAdapter,
  trainAdapt,
  validRecall,
  type AdaptExamples,
} from '../src/index.js';
import { sampler, spearman } from './helpers.js';

beforeAll(async () => {
  await initBackend();
});

describe('adapters', () => {
  const g = [
    [1, -2, 0.5, 3],
    [0, 4, -1, 2],
  ];
  const bias = [0.5, -1, 2, 0];
  const scale = [2, 0.5, -1, 3];

  function withParams<T extends BiasAdapter | ScaleAdapter | ScaleBiasAdapter>(adapter: T): T {
    if ('bias' in adapter) adapter.bias.assign(tf.tensor1d(bias));
    if ('scale' in adapter) adapter.scale.assign(tf.tensor1d(scale));
    return adapter;
  }

  const cases: [string, (x: number, j: number) => number, () => BiasAdapter | ScaleAdapter | ScaleBiasAdapter][] = [
    ['b', (x, j) => x + bias[j], () => withParams(new BiasAdapter(4))],
    ['gW', (x, j) => x * scale[j], () => withParams(new ScaleAdapter(4))],
    ['gW+b', (x, j) => (x + bias[j]) * scale[j], () => withParams(new ScaleBiasAdapter(4))],
  ];

  for (const [kind, expected, make] of cases) {
    it(`${kind} adjusts every column and a column subset`, () => {
      const adapter = make();
      expect(adapter.kind).toBe(kind);
      const full = tf.tidy(() => adapter.apply(tf.tensor2d(g)).arraySync());
      full.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(expected(g[r][j], j), 5)));
      // columns [3, 0] of the catalogue
      const sub = tf.tidy(() =>
        adapter
          .apply(
            tf.tensor2d(g.map((row) => [row[3], row[0]])),
            tf.tensor1d([3, 0], 'int32'),
          )
          .arraySync(),
      );
      sub.forEach((row, r) => {
        expect(row[0]).toBeCloseTo(expected(g[r][3], 3), 5);
        expect(row[1]).toBeCloseTo(expected(g[r][0], 0), 5);
      });
      adapter.dispose();
    });
  }

  it('starts as the identity (b = 0, m = 1) and round-trips its state', () => {
    for (const kind of ['b', 'gW', 'gW+b'] as const) {
      const a = createAdapter(kind, 4);
      const out = tf.tidy(() => a.apply(tf.tensor2d(g)).arraySync());
      expect(out).toEqual(g);
      const b = createAdapter(kind, 4);
      const state = Object.fromEntries(Object.entries(a.state()).map(([k, v]) => [k, tf.add(v, 1)]));
      b.loadState(state);
      for (const [k, v] of Object.entries(b.state())) expect(Array.from(v.dataSync())).toEqual(Array.from(state[k].dataSync()));
      tf.dispose(Object.values(state));
      a.dispose();
      b.dispose();
    }
  });

  it('rejects logits that do not match the item columns', () => {
    const a = new BiasAdapter(4);
    expect(() => tf.tidy(() => a.apply(tf.zeros([2, 3]) as tf.Tensor2D))).toThrow(/do not match 4/);
    a.dispose();
  });
});

describe('adapter gradients', () => {
  it('equal a plain reference: d/dg = dz * m, d/db = column sums of dz * m, d/dm = column sums of dz * (g + b), repeated columns accumulate', () => {
    const rng = new Rng(8);
    const nItems = 5;
    const cols = Int32Array.from([3, 0, 3, 4]);
    const g = Array.from({ length: 2 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const dz = Array.from({ length: 2 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const adapter = new ScaleBiasAdapter(nItems);
    const b = Array.from({ length: nItems }, () => rng.normal());
    const m = Array.from({ length: nItems }, () => rng.normal());
    adapter.bias.assign(tf.tensor1d(b));
    adapter.scale.assign(tf.tensor1d(m));
    const gt = tf.variable(tf.tensor2d(g));
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(adapter.apply(gt, cols), tf.tensor2d(dz))) as tf.Scalar, [gt, adapter.bias, adapter.scale]);
    const db = new Array(nItems).fill(0);
    const dm = new Array(nItems).fill(0);
    g.forEach((row, r) => row.forEach((x, j) => {
      const c = cols[j];
      expect((grads[gt.name].arraySync() as number[][])[r][j]).toBeCloseTo(dz[r][j] * m[c], 5);
      db[c] += dz[r][j] * m[c];
      dm[c] += dz[r][j] * (x + b[c]);
    }));
    Array.from(grads[adapter.bias.name].dataSync()).forEach((v, i) => expect(v).toBeCloseTo(db[i], 5));
    Array.from(grads[adapter.scale.name].dataSync()).forEach((v, i) => expect(v).toBeCloseTo(dm[i], 5));
    expect(dm[1] === 0 && db[1] === 0).toBe(true);
  });
});

describe('sampled softmax loss', () => {
  it('is -log softmax of the own positive against the shared negatives', () => {
    const rng = new Rng(3);
    const B = 3;
    const N = 4;
    const rows = Array.from({ length: B }, () => Array.from({ length: B + N }, () => rng.normal() * 2));
    let expected = 0;
    for (let b = 0; b < B; b++) {
      const pos = rows[b][b];
      const denom = Math.exp(pos) + rows[b].slice(B).reduce((s, x) => s + Math.exp(x), 0);
      expected += -Math.log(Math.exp(pos) / denom);
    }
    expected /= B;
    const loss = tf.tidy(() => sampledSoftmaxLoss(tf.tensor2d(rows), B).dataSync()[0]);
    expect(loss).toBeCloseTo(expected, 5);
  });

  it('has the gradient (softmax - 1 at the own positive) / B, zero at the other rows\' positives', () => {
    const rng = new Rng(5);
    const B = 3;
    const N = 4;
    const rows = Array.from({ length: B }, () => Array.from({ length: B + N }, () => rng.normal() * 3));
    const grad = tf.grad((z: tf.Tensor) => sampledSoftmaxLoss(z as tf.Tensor2D, B))(tf.tensor2d(rows)).arraySync() as number[][];
    for (let b = 0; b < B; b++) {
      const cand = [rows[b][b], ...rows[b].slice(B)];
      const denom = cand.reduce((s, x) => s + Math.exp(x), 0);
      rows[b].forEach((_, j) => {
        let want = 0;
        if (j === b) want = (Math.exp(rows[b][b]) / denom - 1) / B;
        else if (j >= B) want = Math.exp(rows[b][j]) / denom / B;
        expect(grad[b][j]).toBeCloseTo(want, 6);
      });
    }
  });
});

describe('AdamW', () => {
  it('decays the weights then takes the bias-corrected Adam step', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamOptimizer([p], { name: 'adamw', lr: 0.01, weightDecay: 0.1 });
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(p, tf.tensor1d([3, -0.5]))) as tf.Scalar, [p]);
      opt.apply([grads[p.name]]);
      return value.dataSync()[0];
    });
    expect(loss).toBeCloseTo(3 + 1, 5);
    // first Adam step is lr * g / (|g| + eps) = lr * sign(g)
    const [a, b] = Array.from(p.dataSync());
    expect(a).toBeCloseTo(1 * (1 - 0.001) - 0.01, 6);
    expect(b).toBeCloseTo(-2 * (1 - 0.001) + 0.01, 6);
    opt.dispose();
    p.dispose();
  });

  it('clips the global gradient norm', () => {
    const input = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    const { grads, norm } = clipByGlobalNorm(input, 1);
    expect(norm).toBeCloseTo(5, 5);
    expect(grads.a.dataSync()[0]).toBeCloseTo(0.6, 4);
    expect(grads.b.dataSync()[0]).toBeCloseTo(0.8, 4);
    tf.dispose([...Object.values(grads), ...Object.values(input)]);
  });
});

/** Targets drawn from a Zipf popularity skew, LLM logits that know nothing about it. */
function skewedData(nItems: number, dim: number, n: number, seed: number) {
  const rng = new Rng(seed);
  const popularity = Array.from({ length: nItems }, (_, i) => 1 / (i + 1) ** 1.2);
  // shuffle which item is popular so the skew is not the item order
  const perm = rng.shuffle(Int32Array.from({ length: nItems }, (_, i) => i));
  const p = new Array<number>(nItems);
  perm.forEach((item, i) => (p[item] = popularity[i]));
  const draw = sampler(p, rng);
  const make = (count: number): AdaptExamples => ({
    targets: Int32Array.from({ length: count }, draw),
    histories: Array.from({ length: count }, () => new Int32Array(0)),
    queries: Float32Array.from({ length: count * dim }, () => rng.normal()),
    dim,
  });
  const v = Float32Array.from({ length: nItems * dim }, () => rng.normal() * 0.2);
  return { p, train: make(n), valid: make(Math.floor(n / 5)), v };
}

describe('bias adjustment', () => {
  it('recovers a planted popularity skew (rank correlation with log-frequency > 0.9)', async () => {
    const nItems = 40;
    const { p, train, v } = skewedData(nItems, 8, 3000, 11);
    const index = new FixedItemIndex(v, nItems, 8);
    const adapter = new BiasAdapter(nItems);
    const model = new BiasAdaptedModel(index, adapter);
    await trainAdapt(model, train, undefined, { epochs: 8, learningRate: 0.1, seed: 1 });
    const b = adapter.values('bias');
    const logFreq = p.map((x) => Math.log(x));
    expect(spearman(b, logFreq)).toBeGreaterThan(0.9);
    // the bias spread matches the planted log-frequency spread roughly (a real fit, not just an ordering)
    const spread = (xs: ArrayLike<number>) => Math.max(...Array.from(xs)) - Math.min(...Array.from(xs));
    expect(spread(b)).toBeGreaterThan(0.5 * spread(logFreq));
    model.adapter.dispose();
    index.dispose();
  });

  it('early-stops on valid, keeps the best epoch and leaks no tensors per epoch', async () => {
    const nItems = 30;
    const { train, valid, v } = skewedData(nItems, 6, 1500, 5);
    const index = new FixedItemIndex(v, nItems, 6);
    const model = new BiasAdaptedModel(index, new ScaleBiasAdapter(nItems));
    const counts: number[] = [];
    const epochs = 40;
    const patience = 2;
    const result = await trainAdapt(model, train, valid, { epochs, learningRate: 0.05, patience, seed: 2, onEpoch: (l) => counts.push(l.numTensors) });
    // it stopped early: exactly `patience` evaluations after the last improvement, well before the last epoch
    expect(result.stoppedEarly).toBe(true);
    expect(result.log.length).toBeLessThan(epochs);
    expect(result.log.length).toBe(result.bestEpoch + patience);
    expect(new Set(counts).size).toBe(1);
    const valids = result.log.map((l) => l.valid!);
    expect(result.bestValid).toBe(Math.max(...valids));
    expect(valids[result.bestEpoch - 1]).toBe(result.bestValid);
    // the weights kept are the best epoch's: evaluated again, they give its valid recall (not the last epoch's)
    expect(await validRecall(model, valid)).toBe(result.bestValid);
    model.adapter.dispose();
    index.dispose();
  });
});
