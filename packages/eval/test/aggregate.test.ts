import { describe, expect, it } from 'vitest';
import { CatalogueCoverage, evaluateFullRanking, gini, GiniExposure, MeanPopularityRank, popularityRanks, type AggregateContext } from '../src/index.js';
import { factorScorer, randomSplit } from './helpers.js';

function run(metric: { start(c: AggregateContext): { add(l: Int32Array): void; result(): number } }, lists: number[][], popularity: number[], nItems: number) {
  const pop = Float64Array.from(popularity);
  const acc = metric.start({ nItems, k: lists[0].length, popularity: pop, popularityRank: popularityRanks(pop) });
  for (const l of lists) acc.add(Int32Array.from(l));
  return acc.result();
}

describe('aggregate diagnostics, hand-computed', () => {
  const lists = [
    [0, 1],
    [0, 2],
  ];
  const popularity = [5, 3, 3, 1, 0];

  it('coverage: 3 of 5 items shown', () => {
    expect(run(new CatalogueCoverage(), lists, popularity, 5)).toBeCloseTo(0.6, 14);
    expect(run(new CatalogueCoverage(), [[0, -1]], popularity, 5)).toBeCloseTo(0.2, 14);
  });

  it('popularity ranks with ties averaged, and their mean over recommended items', () => {
    expect(Array.from(popularityRanks(popularity))).toEqual([1, 2.5, 2.5, 4, 5]);
    expect(run(new MeanPopularityRank(), lists, popularity, 5)).toBeCloseTo((1 + 2.5 + 1 + 2.5) / 4, 14);
  });

  it('gini of exposure: counts [2, 1, 1, 0, 0] -> 10 / 20', () => {
    // sorted [0, 0, 1, 1, 2]; sum (2i - n - 1) x_(i) = 0 + 0 + 0 + 2*1 + 4*2 = 10; n * total = 20
    expect(run(new GiniExposure(), lists, popularity, 5)).toBeCloseTo(0.5, 14);
    expect(gini([1, 1, 1, 1])).toBe(0);
    expect(gini([0, 0, 0, 5])).toBeCloseTo(0.75, 14); // (n - 1) / n for one item taking everything
  });

  it('the evaluator reports them per K from the top lists it ranked', async () => {
    const split = randomSplit(30, 25, 4);
    const scorer = factorScorer(30, 25, 3, 2, true);
    const res = await evaluateFullRanking(scorer, split, { on: 'test', ks: [3], blockSize: 4 });
    // independent: rebuild each user's top 3 by sorting, then count
    const counts = new Array(25).fill(0);
    for (const u of res.ids as number[]) {
      const seen = new Set([...split.train.row(u), ...split.valid.row(u)]);
      const T = new Set(split.test.row(u));
      const cand = [...Array(25).keys()].filter((j) => !seen.has(j) || T.has(j));
      cand.sort((a, b) => scorer.dense[u * 25 + b] - scorer.dense[u * 25 + a] || a - b);
      for (const j of cand.slice(0, 3)) counts[j]++;
    }
    expect(res.aggregates!['coverage@3']).toBeCloseTo(counts.filter((c) => c > 0).length / 25, 14);
    const sorted = [...counts].sort((a, b) => a - b);
    const total = sorted.reduce((a, b) => a + b, 0);
    const g = sorted.reduce((s, x, i) => s + (2 * (i + 1) - 26) * x, 0) / (25 * total);
    expect(res.aggregates!['gini@3']).toBeCloseTo(g, 12);
    expect(res.aggregates!['poprank@3']).toBeGreaterThanOrEqual(1);
  });
});
