import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { crsRank } from '@lmrec/eval';
import { FixedItemIndex, GatedModel, LlmModel, RecommenderModel, RecSysGate, scoreRows, trainAdapt, type AdaptExamples, type AdaptModel } from '../src/index.js';
import { TinyFism } from './helpers.js';

beforeAll(async () => {
  await initBackend();
});

const N_ITEMS = 30;
const SUCCESSORS = (a: number) => [(a + 1) % N_ITEMS, (a + 7) % N_ITEMS];

/**
 * History predicts the target up to a coin flip between two successors of
 * the last mentioned item; the "LLM" logits mark the target and 4 random
 * decoys (+10) under heavy noise (sd 10), so they are informative but must
 * be down-weighted. Identity item vectors make q the LLM logits row.
 */
function planted(n: number, seed: number): AdaptExamples {
  const rng = new Rng(seed);
  const targets = new Int32Array(n);
  const histories: Int32Array[] = [];
  const queries = new Float32Array(n * N_ITEMS);
  for (let i = 0; i < n; i++) {
    const a = rng.int(N_ITEMS);
    const t = SUCCESSORS(a)[rng.int(2)];
    targets[i] = t;
    histories.push(Int32Array.of(a));
    const marked = new Set([t]);
    while (marked.size < 5) marked.add(rng.int(N_ITEMS));
    for (let j = 0; j < N_ITEMS; j++) queries[i * N_ITEMS + j] = (marked.has(j) ? 10 : 0) + 10 * rng.normal();
  }
  return { targets, histories, queries, dim: N_ITEMS };
}

/** Mean NDCG@10 and Hit@1 under the CRS rank (ties averaged). */
async function quality(model: AdaptModel, set: AdaptExamples): Promise<{ ndcg10: number; hit1: number }> {
  const rows = Int32Array.from({ length: set.targets.length }, (_, i) => i);
  const scores = await scoreRows(model, set, rows);
  let ndcg = 0;
  let hit1 = 0;
  rows.forEach((r) => {
    const rank = crsRank(scores, r * N_ITEMS, N_ITEMS, set.targets[r]);
    if (rank < 10) ndcg += 1 / Math.log2(rank + 2);
    if (rank < 1) hit1++;
  });
  return { ndcg10: ndcg / rows.length, hit1: hit1 / rows.length };
}

function identity(): FixedItemIndex {
  const v = new Float32Array(N_ITEMS * N_ITEMS);
  for (let i = 0; i < N_ITEMS; i++) v[i * N_ITEMS + i] = 1;
  return new FixedItemIndex(v, N_ITEMS, N_ITEMS);
}

describe('RecSys gating', () => {
  it('combines s * g + (1 - s) * h with s = sigmoid(c), c starting at 0', () => {
    const rec = new TinyFism(4, 3, 1);
    const gate = new RecSysGate(rec);
    expect(gate.gateValue()).toBe(0.5);
    tf.tidy(() => gate.logit.assign(tf.scalar(Math.log(3)))); // s = 0.75
    const g = [[1, 2, 3, 4]];
    const histories = [Int32Array.of(2, 0)];
    const h = tf.tidy(() => rec.logits(histories).arraySync());
    const out = tf.tidy(() => gate.apply(tf.tensor2d(g), histories, undefined, false).arraySync());
    out[0].forEach((v, j) => expect(v).toBeCloseTo(0.75 * g[0][j] + 0.25 * h[0][j], 5));
    const sub = tf.tidy(() => gate.apply(tf.tensor2d([[4, 1]]), histories, Int32Array.of(3, 0), false).arraySync());
    expect(sub[0][0]).toBeCloseTo(0.75 * 4 + 0.25 * h[0][3], 5);
    expect(sub[0][1]).toBeCloseTo(0.75 * 1 + 0.25 * h[0][0], 5);
    // state round trip carries the recommender under "recsys."
    expect(Object.keys(gate.state()).sort()).toEqual(['gate.c', 'recsys.bias', 'recsys.emb']);
    gate.dispose();
  });

  it('learns a gate below 0.5 when history predicts the target, and beats both parts alone', async () => {
    const train = planted(1200, 1);
    const valid = planted(300, 2);
    const test = planted(600, 3);
    const options = { epochs: 12, learningRate: 0.08, weightDecay: 0, patience: 12, seed: 7 };

    const llmIndex = identity();
    const llm = new LlmModel(llmIndex, 'llm');
    const llmQuality = await quality(llm, test);

    const alone = new RecommenderModel(new TinyFism(N_ITEMS, 16, 5));
    await trainAdapt(alone, train, valid, options);
    const aloneQuality = await quality(alone, test);

    const gate = new RecSysGate(new TinyFism(N_ITEMS, 16, 5));
    const gated = new GatedModel(llmIndex, gate);
    const counts: number[] = [];
    const result = await trainAdapt(gated, train, valid, { ...options, onEpoch: (l) => counts.push(l.numTensors) });
    expect(new Set(counts).size).toBe(1); // no tensor growth per epoch
    const gatedQuality = await quality(gated, test);

    // s = sigmoid(c) of the kept logit, computed here; the weights kept are the best epoch's, so
    // the gate reported after training is the one logged at that epoch
    const s = 1 / (1 + Math.exp(-gate.state()['gate.c'].dataSync()[0]));
    expect(gate.gateValue()).toBeCloseTo(s, 6);
    expect(result.bestEpoch).toBeGreaterThan(0);
    expect(result.extra?.gate).toBeCloseTo(result.log[result.bestEpoch - 1].extra!.gate, 6);
    expect(s).toBeLessThan(0.5);
    expect(gatedQuality.ndcg10).toBeGreaterThan(aloneQuality.ndcg10 + 0.03);
    expect(gatedQuality.ndcg10).toBeGreaterThan(llmQuality.ndcg10 + 0.03);
    expect(gatedQuality.hit1).toBeGreaterThan(Math.max(aloneQuality.hit1, llmQuality.hit1));
    gate.dispose();
    alone.recommender.dispose();
    llmIndex.dispose();
  });
});
