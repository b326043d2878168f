import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { AdamOptimizer } from '@lmrec/recsys';
import { clipByGlobalNorm, dataLabelPairs, distillationPairs, evaluateReindex, ReindexModel, reindexLoss, reindexTrainable, RnnAggregator, SumAggregator, TitleMatcher, trainReindex, WeightedAggregator } from '../src/index.js';
import { batchVectors } from '../src/train.js';

beforeAll(async () => {
  await initBackend();
});

/** `nTitles` random titles of 1 to `maxLen` tokens over a random `vocab` x d table. */
function tinyModel(aggregator: RnnAggregator, rng: Rng, vocab: number, nTitles: number, maxLen: number): ReindexModel {
  const d = aggregator.dim;
  const table = Float32Array.from({ length: vocab * d }, () => rng.normal());
  const titleTokenIds = Array.from({ length: nTitles }, (_, i) => Array.from({ length: 1 + (i % maxLen) }, () => rng.int(vocab)));
  return new ReindexModel({ aggregator, titleTokenIds, tokenIds: Array.from({ length: vocab }, (_, i) => i), tokenTable: table, dim: d });
}

describe('loss and optimiser, against hand computations', () => {
  it('reindexLoss = mean(-log e^{q.v+} / (e^{q.v+} + sum_n e^{q.n}))', () => {
    const q = [[1, 2], [0.5, -1]];
    const pos = [[0.3, 0.1], [1, 1]];
    const neg = [[1, 0], [0, 1], [-1, 0.5]];
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1];
    let expected = 0;
    q.forEach((qq, i) => {
      const p = Math.exp(dot(qq, pos[i]));
      const z = p + neg.reduce((s, n) => s + Math.exp(dot(qq, n)), 0);
      expected += -Math.log(p / z);
    });
    const got = tf.tidy(() => reindexLoss(tf.tensor2d(q), tf.tensor2d(pos), tf.tensor2d(neg)).dataSync()[0]);
    expect(got).toBeCloseTo(expected / 2, 5);
  });

  it('AdamW matches two hand-computed PyTorch steps (with decoupled decay)', () => {
    const p = tf.variable(tf.tensor1d([1, -2]), true, 'adamw_test_p');
    const opt = new AdamOptimizer([p], { name: 'adamw', lr: 0.1, weightDecay: 0.5 });
    const grads = [[0.5, -1], [0.2, 0.3]];
    const ref = [1, -2];
    const m = [0, 0];
    const v = [0, 0];
    grads.forEach((g, step) => {
      const t = step + 1;
      for (let i = 0; i < 2; i++) {
        ref[i] *= 1 - 0.1 * 0.5;
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        ref[i] -= (0.1 * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
      }
      const gt = tf.tensor1d(g);
      opt.apply([gt]);
      gt.dispose();
    });
    const got = p.dataSync();
    expect(got[0]).toBeCloseTo(ref[0], 5);
    expect(got[1]).toBeCloseTo(ref[1], 5);
    opt.dispose();
    p.dispose();
  });

  it('clipByGlobalNorm scales to the max norm only when above it', () => {
    const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3, 0]), b: tf.tensor1d([0, 4]) }, 2.5);
    expect(norm).toBeCloseTo(5, 5);
    expect([...grads.a.dataSync(), ...grads.b.dataSync()].map((x) => Number(x.toFixed(4)))).toEqual([1.5, 0, 0, 2]);
    const kept = clipByGlobalNorm({ a: tf.tensor1d([0.3, 0.4]) }, 5);
    expect([...kept.grads.a.dataSync()].map((x) => Number(x.toFixed(4)))).toEqual([0.3, 0.4]);
    tf.dispose([...Object.values(grads), ...Object.values(kept.grads)]);
  });
});

/**
 * A planted catalogue: item i's title is [key_i, two filler words]; its
 * contexts contain a *different* cue word c_i plus noise words. Token rows
 * are random, so the untrained catalogue ranks at chance; the aggregator must
 * learn to map title tokens onto the cue directions.
 */
function planted(nItems: number, d: number, perItem: number, seed: number) {
  const rng = new Rng(seed);
  const vocab = 3 * nItems + 20;
  const table = Float32Array.from({ length: vocab * d }, () => rng.normal() / Math.sqrt(d));
  const fillers = Array.from({ length: 20 }, (_, i) => 3 * nItems + i);
  const titleTokenIds = Array.from({ length: nItems }, (_, i) => [i, rng.choice(fillers), ...(i % 2 ? [rng.choice(fillers)] : [])]);
  const cue = (i: number) => nItems + i;
  const noise = (i: number) => 2 * nItems + i;
  const makeQueries = (r: Rng, k: number) => {
    const q = new Float32Array(nItems * k * d);
    const targets: number[] = [];
    for (let i = 0; i < nItems; i++) {
      for (let c = 0; c < k; c++) {
        const row = (i * k + c) * d;
        for (const [tok, w] of [[cue(i), 3], [noise(r.int(nItems)), 1], [noise(r.int(nItems)), 1]] as const) {
          for (let j = 0; j < d; j++) q[row + j] += w * table[tok * d + j];
        }
        targets.push(i);
      }
    }
    return { q, targets };
  };
  return { table, vocab, titleTokenIds, train: makeQueries(rng.fork('train'), perItem), valid: makeQueries(rng.fork('valid'), 2), test: makeQueries(rng.fork('test'), 2) };
}

function buildModel(data: ReturnType<typeof planted>, d: number, agg: 'weighted' | 'rnn' | 'sum') {
  const aggregator = agg === 'sum' ? new SumAggregator({ dim: d }) : agg === 'weighted' ? new WeightedAggregator({ dim: d, maxLen: 4, seed: 1 }) : new RnnAggregator({ dim: d, hidden: 32, seed: 1 });
  return new ReindexModel({ aggregator, titleTokenIds: data.titleTokenIds, tokenIds: Array.from({ length: data.vocab }, (_, i) => i), tokenTable: data.table, dim: d });
}

const asExamples = (targets: number[]) => targets.map((target) => ({ target, history: new Int32Array(0) }));

describe('reindex training on a planted catalogue', () => {
  const d = 48;
  const nItems = 40;
  const data = planted(nItems, d, 8, 7);

  it('the weighted aggregator learns to rank the positive first far above chance; keep-best and no tensor growth', async () => {
    const model = buildModel(data, d, 'weighted');
    const test = { queries: data.test.q, examples: asExamples(data.test.targets) };
    const before = await evaluateReindex(model, test, { ks: [1, 10] });
    // numTensors must not grow across epochs
    const counts: number[] = [];
    const result = await trainReindex(model, dataLabelPairs(data.train.q, asExamples(data.train.targets)), { queries: data.valid.q, examples: asExamples(data.valid.targets) }, {
      lr: 0.02,
      batchSize: 64,
      negatives: 30,
      maxEpochs: 25,
      patience: 25,
      seed: 3,
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    const after = await evaluateReindex(model, test, { ks: [1, 10] });
    expect(before.metrics['hit@1'].mean).toBeLessThan(0.2);
    expect(after.metrics['hit@1'].mean).toBeGreaterThan(0.5); // chance = 1/40
    expect(result.epochs.length).toBe(25);
    expect(result.epochs[result.epochs.length - 1].loss).toBeLessThan(result.epochs[0].loss);
    expect(new Set(counts.slice(1)).size).toBe(1);
    // keep-best: the restored aggregator scores the best recorded validation value
    const validNow = await evaluateReindex(model, { queries: data.valid.q, examples: asExamples(data.valid.targets) }, { ks: [10] });
    expect(validNow.metrics['hit@10'].mean).toBeCloseTo(result.bestValid!, 10);
    expect(result.bestValid).toBe(Math.max(result.initialValid!, ...result.epochs.map((e) => e.valid!)));
    model.dispose();
  });

  it('the rnn aggregator learns too (few epochs), and training is reproducible from the seed', async () => {
    const small = planted(16, 32, 6, 9);
    const run = async () => {
      const model = buildModel(small, 32, 'rnn');
      const r = await trainReindex(model, dataLabelPairs(small.train.q, asExamples(small.train.targets)), undefined, { lr: 0.01, batchSize: 32, negatives: 15, maxEpochs: 12, seed: 5 });
      const ev = await evaluateReindex(model, { queries: small.test.q, examples: asExamples(small.test.targets) }, { ks: [1] });
      model.dispose();
      return { r, h1: ev.metrics['hit@1'].mean };
    };
    const a = await run();
    const b = await run();
    expect(a.h1).toBeGreaterThan(0.5); // chance = 1/16
    expect(a.r.epochs.map((e) => e.loss)).toEqual(b.r.epochs.map((e) => e.loss));
  });

  it('a whole training run (optimiser state, keep-best snapshots) frees everything it allocated', async () => {
    const before = tf.memory().numTensors;
    const model = buildModel(data, d, 'weighted');
    await trainReindex(model, dataLabelPairs(data.train.q, asExamples(data.train.targets)), { queries: data.valid.q, examples: asExamples(data.valid.targets) }, { lr: 0.01, maxEpochs: 3, negatives: 10, batchSize: 64 });
    model.aggregator.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('early stopping halts after `patience` epochs without improvement', async () => {
    const model = buildModel(data, d, 'weighted');
    // lr 0: nothing changes, so validation never improves on the initial value
    const r = await trainReindex(model, dataLabelPairs(data.train.q, asExamples(data.train.targets)), { queries: data.valid.q, examples: asExamples(data.valid.targets) }, { lr: 0, maxEpochs: 10, patience: 2, negatives: 10 });
    expect(r.epochs.length).toBe(2);
    expect(r.stoppedEarly).toBe(true);
    expect(r.bestEpoch).toBe(0);
    model.dispose();
  });

  it('LLM-generated titles as labels: matched to the catalogue they give the same pairs as the data labels', () => {
    const titles = ['Toy Story (1995)', 'The Matrix (1999)', 'Heat (1995)', 'Heat (1986)'];
    const generations = [['1. Toy Storey (1995)', 'Matrix, The', 'Unknown Film'], ['"Heat" (1995)'], ['The Matrix (1999)', 'the matrix']];
    const q = new Float32Array(3 * 2);
    const { pairs, stats } = distillationPairs(q, generations, new TitleMatcher(titles), { topK: 5 });
    expect([...pairs.queryIndex]).toEqual([0, 0, 1, 2]);
    expect([...pairs.items]).toEqual([0, 1, 2, 1]);
    expect(stats).toEqual({ generated: 6, matched: 5, unmatched: ['Unknown Film'] });
  });

  it('a conversation is ranked by q . V over the whole catalogue (V laid out [d, n])', () => {
    const model = buildModel(data, d, 'sum');
    const V = model.itemMatrixData();
    const q = data.test.q.subarray(0, d);
    const scores = model.score(Float32Array.from(q));
    for (const item of [0, 17, 39]) {
      let expected = 0;
      for (const tok of data.titleTokenIds[item]) for (let j = 0; j < d; j++) expected += q[j] * data.table[tok * d + j];
      expect(scores[item]).toBeCloseTo(expected, 4);
      let fromV = 0;
      for (let j = 0; j < d; j++) fromV += q[j] * V[j * nItems + item];
      expect(fromV).toBeCloseTo(expected, 4);
    }
    model.dispose();
  });
});

describe('ReindexModel item vectors', () => {
  it('chunked, length-sorted V equals each item aggregated alone (rnn, ragged titles)', async () => {
    const d = 12;
    const rng = new Rng(2);
    const vocab = 30;
    const table = Float32Array.from({ length: vocab * d }, () => rng.normal());
    const titleTokenIds = Array.from({ length: 23 }, (_, i) => Array.from({ length: 1 + ((i * 7) % 6) }, () => rng.int(vocab)));
    const model = new ReindexModel({ aggregator: new RnnAggregator({ dim: d, hidden: 5, seed: 1 }), titleTokenIds, tokenIds: Array.from({ length: vocab }, (_, i) => i), tokenTable: table, dim: d, blockSize: 8 });
    const V = model.itemMatrixData();
    const chunked = tf.tidy(() => model.itemVectors(Int32Array.from([5, 0, 22, 3, 11, 7]), false, 2).arraySync());
    [5, 0, 22, 3, 11, 7].forEach((item, r) => {
      const alone = tf.tidy(() => model.itemVectors(Int32Array.of(item)).arraySync()[0]);
      for (let j = 0; j < d; j++) {
        expect(V[j * 23 + item]).toBeCloseTo(alone[j], 5);
        expect(chunked[r][j]).toBeCloseTo(alone[j], 5);
      }
    });
    expect([...model.byLength(Int32Array.from([5, 0, 22, 3]))].map((i) => model.lengths[i])).toEqual([...[5, 0, 22, 3].map((i) => model.lengths[i])].sort((a, b) => a - b));
    model.aggregator.dispose();
    model.dispose();
  });

  it('batch vectors: each distinct item aggregated once gives the values and gradients of every item aggregated in chunks', () => {
    const d = 6;
    const rng = new Rng(5);
    const aggregator = new RnnAggregator({ dim: d, hidden: 3, seed: 2, read: 'padded', padTo: 5 });
    const model = tinyModel(aggregator, rng, 20, 9, 4);
    // targets 4, 4, 1 then negatives that repeat them
    const items = Int32Array.of(4, 4, 1, 0, 4, 8, 1, 3);
    const weights = tf.tensor2d(Float32Array.from({ length: items.length * d }, () => rng.normal()), [items.length, d]);
    const run = (f: () => tf.Tensor2D) => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(f(), weights)) as tf.Scalar, aggregator.trainableVariables());
      return { value: value.dataSync()[0], grads: aggregator.trainableVariables().flatMap((v) => Array.from(grads[v.name].dataSync())) };
    };
    const once = run(() => batchVectors(model, items));
    const chunked = run(() => model.itemVectors(items, true, 3));
    expect(once.value).toBeCloseTo(chunked.value, 5);
    expect(once.grads.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    once.grads.forEach((g, i) => expect(g).toBeCloseTo(chunked.grads[i], 5));
    aggregator.dispose();
    model.dispose();
  });

  it("reindexTrainable: the loss of a batch is reindexLoss over its positives and negatives; it trains the aggregator's variables", () => {
    const d = 4;
    const rng = new Rng(8);
    const aggregator = new RnnAggregator({ dim: d, hidden: 2, seed: 3 });
    const model = tinyModel(aggregator, rng, 12, 7, 3);
    const q = Float32Array.from({ length: 2 * d }, () => rng.normal());
    const items = Int32Array.of(3, 3, 0, 6, 3);
    const trainable = reindexTrainable(model, 3);
    const got = tf.tidy(() => trainable.loss({ q, items, size: 2 }, { epoch: 0, step: 0, rng: new Rng(0) }).dataSync()[0]);
    const expected = tf.tidy(() => {
      const v = (ids: number[]) => model.itemVectors(Int32Array.from(ids), false);
      return reindexLoss(tf.tensor2d(q, [2, d]), v([3, 3]), v([0, 6, 3])).dataSync()[0];
    });
    expect(got).toBeCloseTo(expected, 5);
    expect(trainable.trainableVariables().map((x) => x.name)).toEqual(aggregator.trainableVariables().map((x) => x.name));
    expect(Object.keys(trainable.state())).toEqual(Object.keys(aggregator.state()));
    aggregator.dispose();
    model.dispose();
  });
});
