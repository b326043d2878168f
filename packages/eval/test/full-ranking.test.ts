import { describe, expect, it } from 'vitest';
import { CapturingProgress, type CfSplit } from '@lmrec/core';
import { evaluateFullRanking } from '../src/index.js';
import { factorScorer, randomSplit } from './helpers.js';

/** Independent reference: sort every candidate, compute each metric from its definition. */
function bruteForce(dense: Float32Array, split: CfSplit, on: 'valid' | 'test', ks: number[]) {
  const targets = on === 'test' ? split.test : split.valid;
  const other = on === 'test' ? split.valid : split.test;
  const out: Record<string, number[]> = {};
  const ids: number[] = [];
  for (let u = 0; u < split.nUsers; u++) {
    const T = new Set(targets.row(u));
    if (T.size === 0) continue;
    ids.push(u);
    const seen = new Set([...split.train.row(u), ...other.row(u)]);
    const cand: number[] = [];
    for (let j = 0; j < split.nItems; j++) if (!seen.has(j) || T.has(j)) cand.push(j);
    cand.sort((a, b) => dense[u * split.nItems + b] - dense[u * split.nItems + a] || a - b);
    for (const k of ks) {
      const R = cand.slice(0, k);
      const hitPos = R.map((j, p) => (T.has(j) ? p : -1)).filter((p) => p >= 0);
      const dcg = hitPos.reduce((s, p) => s + 1 / Math.log2(p + 2), 0);
      let idcg = 0;
      for (let p = 0; p < Math.min(T.size, k); p++) idcg += 1 / Math.log2(p + 2);
      const vals: Record<string, number> = {
        recall: hitPos.length / T.size,
        precision: hitPos.length / k,
        ndcg: dcg / idcg,
        hr: hitPos.length > 0 ? 1 : 0,
        mrr: hitPos.length > 0 ? 1 / (hitPos[0] + 1) : 0,
      };
      for (const [m, v] of Object.entries(vals)) (out[`${m}@${k}`] ??= []).push(v);
    }
  }
  return { out, ids };
}

describe('evaluateFullRanking vs brute force', () => {
  const ks = [1, 3, 10, 50];
  for (const [on, overlap] of [['test', false], ['valid', false], ['test', true], ['valid', true]] as const) {
    const split = randomSplit(60, 45, 11, 0.15, overlap);
    for (const withFactors of [true, false]) {
      it(`${on}, ${overlap ? 'overlapping' : 'disjoint'} parts, ${withFactors ? 'factors + scoreTopK' : 'scoreBlock + topKBlock'}`, async () => {
        const scorer = factorScorer(60, 45, 4, 5, withFactors);
        const progress = new CapturingProgress();
        const result = await evaluateFullRanking(scorer, split, { on, ks, blockSize: 7, progress });
        const ref = bruteForce(scorer.dense, split, on, ks);
        expect(result.ids).toEqual(ref.ids);
        expect(result.n).toBe(ref.ids.length);
        expect(result.n).toBeLessThan(60);
        for (const [key, vals] of Object.entries(ref.out)) {
          expect(result.perUnit[key].length).toBe(vals.length);
          result.perUnit[key].forEach((v, i) => expect(v).toBeCloseTo(vals[i], 12));
          expect(result.metrics[key].mean).toBeCloseTo(vals.reduce((a, b) => a + b, 0) / vals.length, 12);
        }
        expect(result.protocol.on).toBe(on);
        const ticks = progress.events.filter((e) => e.type === 'tick');
        expect(ticks.at(-1)).toMatchObject({ done: result.n });
        expect(ticks.length).toBe(Math.ceil(result.n / 7));
        const sets = progress.events.filter((e) => e.type === 'set');
        expect(sets.at(-1)).toMatchObject({ fields: { 'recall@1': Number(result.metrics['recall@1'].mean.toFixed(4)) } });
        expect(JSON.parse(JSON.stringify(result)).metrics).toEqual(result.metrics);
      });
    }
  }

  it('same numbers whatever the block size', async () => {
    const split = randomSplit(60, 45, 11);
    const scorer = factorScorer(60, 45, 4, 9, true);
    const a = await evaluateFullRanking(scorer, split, { on: 'test', ks: [5], blockSize: 1 });
    const b = await evaluateFullRanking(scorer, split, { on: 'test', ks: [5], blockSize: 1000 });
    expect(a.perUnit).toEqual(b.perUnit);
    expect(a.aggregates).toEqual(b.aggregates);
  });
});
