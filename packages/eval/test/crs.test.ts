import { describe, expect, it } from 'vitest';
import { Rng } from '@lmrec/core';
import { crsRank, evaluateCrs, type CrsScorer } from '../src/index.js';

function tableScorer(rows: number[][]): CrsScorer {
  const nItems = rows[0].length;
  return {
    nItems,
    scoreExamples: (idx) => {
      const out = new Float32Array(idx.length * nItems);
      idx.forEach((e, r) => out.set(rows[e], r * nItems));
      return out;
    },
  };
}

describe('CRS tie-averaged rank', () => {
  it('constructed ties', () => {
    // target 0 alone at the top: higher 0, >= 1 -> floor(1/2) = 0
    expect(crsRank([5, 1, 2, 3], 0, 4, 0)).toBe(0);
    // target 1 tied with item 2 at the top: higher 0, >= 2 -> 1
    expect(crsRank([1, 5, 5, 3], 0, 4, 1)).toBe(1);
    // three-way tie below one item: higher 1, >= 4 -> floor(5/2) = 2
    expect(crsRank([9, 4, 4, 4, 0], 0, 5, 2)).toBe(2);
    // all equal (5 items): higher 0, >= 5 -> 2
    expect(crsRank([3, 3, 3, 3, 3], 0, 5, 4)).toBe(2);
    // unique last of 5: higher 4, >= 5 -> 4
    expect(crsRank([5, 4, 3, 2, 1], 0, 5, 4)).toBe(4);
    // NaN target ranks with the bottom, not at the top
    expect(crsRank([1, NaN, 2], 0, 3, 1)).toBe(2);
    // NaN elsewhere ranks below a finite target: higher 1, >= 2 -> 1
    expect(crsRank([NaN, 1, 2], 0, 3, 1)).toBe(1);
    // a -Infinity target ties with NaN: higher 1, >= 3 -> 2
    expect(crsRank([NaN, -Infinity, 0], 0, 3, 1)).toBe(2);
    // offset selects the row: row 1 = [2, 2, 1], target 2 -> higher 2, >= 3 -> 2
    expect(crsRank([9, 9, 9, 2, 2, 1], 3, 3, 2)).toBe(2);
    // candidate subset {0, 1, 3}: item 1 higher, item 3 tied -> higher 1, >= 3 -> 2 (item 2 at 7 ignored)
    expect(crsRank([1, 5, 7, 1], 0, 4, 0, Uint8Array.from([1, 1, 0, 1]))).toBe(2);
  });

  it('hit and ndcg from ranks, with and without excluding mentioned items', async () => {
    const rows = [
      [0.9, 0.5, 0.5, 0.1, 0.0, 0.0], // target 1: higher 1, >= 3 -> rank 2
      [0.3, 0.3, 0.3, 0.3, 0.3, 0.3], // target 5: all tied, higher 0, >= 6 -> 3
      [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], // target 0: rank 5
    ];
    const examples = [
      { target: 1, history: [0, 1] }, // excluding 0 (not the target 1): higher 0, >= 2 -> 1
      { target: 5, history: [2] }, // excluding 2: >= 5 -> 2
      { target: 0, history: [] as number[] },
    ];
    const ks = [1, 2, 5];
    const res = await evaluateCrs(tableScorer(rows), examples, { ks, blockSize: 2 });
    const ranks = [2, 3, 5];
    for (const k of ks) {
      expect(res.perUnit[`hit@${k}`]).toEqual(ranks.map((r) => (r < k ? 1 : 0)));
      expect(res.perUnit[`ndcg@${k}`]).toEqual(ranks.map((r) => (r < k ? 1 / Math.log2(r + 2) : 0)));
    }
    expect(res.perUnit['hit@5']).toEqual([1, 1, 0]);
    expect(res.metrics['ndcg@5'].mean).toBeCloseTo((1 / Math.log2(4) + 1 / Math.log2(5)) / 3, 12);
    expect(res.protocol.excludeMentioned).toBe(false);
    expect(res.ids).toEqual([0, 1, 2]);

    const ex = await evaluateCrs(tableScorer(rows), examples, { ks, excludeMentioned: true });
    const exRanks = [1, 2, 5];
    expect(ex.perUnit['hit@2']).toEqual(exRanks.map((r) => (r < 2 ? 1 : 0)));
    expect(ex.perUnit['ndcg@5']).toEqual(exRanks.map((r) => (r < 5 ? 1 / Math.log2(r + 2) : 0)));
    expect(ex.protocol.meanCandidates).toBeCloseTo((5 + 5 + 6) / 3, 12);
  });

  it('candidate subsets and a target outside them', async () => {
    const rows = [[0.1, 0.9, 0.8, 0.2]];
    const res = await evaluateCrs(tableScorer(rows), [{ target: 0, history: [], id: 'c1#0' }], { ks: [1, 2], candidates: [0, 3] });
    // among {0, 3}: item 3 higher -> rank floor((1 + 2) / 2) = 1
    expect(res.perUnit['hit@1']).toEqual([0]);
    expect(res.perUnit['hit@2']).toEqual([1]);
    expect(res.protocol.candidateCount).toBe(2);
    expect(res.ids).toEqual(['c1#0']);
    await expect(evaluateCrs(tableScorer(rows), [{ target: 1, history: [] }], { candidates: [0, 3] })).rejects.toThrow(/not among the candidates/);
  });

  it('default ks and a brute-force check on random scores', async () => {
    const rng = new Rng(3);
    const nItems = 80;
    const rows = Array.from({ length: 25 }, () => Array.from({ length: nItems }, () => Math.round(rng.float() * 10)));
    const examples = rows.map(() => ({ target: rng.int(nItems), history: [rng.int(nItems), rng.int(nItems)] }));
    const res = await evaluateCrs(tableScorer(rows), examples, { excludeMentioned: true, blockSize: 4 });
    expect(Object.keys(res.metrics)).toEqual(['hit@1', 'hit@5', 'hit@10', 'hit@50', 'ndcg@1', 'ndcg@5', 'ndcg@10', 'ndcg@50']);
    examples.forEach((ex, e) => {
      const cands = [...Array(nItems).keys()].filter((j) => j === ex.target || !ex.history.includes(j));
      const st = rows[e][ex.target];
      const higher = cands.filter((j) => rows[e][j] > st).length;
      const geq = cands.filter((j) => rows[e][j] >= st).length;
      const rank = Math.floor((higher + geq) / 2);
      expect(res.perUnit['hit@10'][e]).toBe(rank < 10 ? 1 : 0);
      expect(res.perUnit['ndcg@50'][e]).toBeCloseTo(rank < 50 ? 1 / Math.log2(rank + 2) : 0, 12);
    });
  });

  it('candidate subset + excludeMentioned + repeated history items, against brute force', async () => {
    const rng = new Rng(5);
    const nItems = 60;
    const rows = Array.from({ length: 30 }, () => Array.from({ length: nItems }, () => (rng.float() < 0.05 ? NaN : Math.round(rng.float() * 6))));
    const examples = rows.map(() => {
      const h = rng.int(nItems);
      return { target: rng.int(nItems), history: [h, h, rng.int(nItems), rng.int(nItems)] };
    });
    const subset = new Set(examples.map((e) => e.target));
    for (let j = 0; j < nItems; j++) if (rng.float() < 0.5) subset.add(j);
    const candidates = [...subset];
    const res = await evaluateCrs(tableScorer(rows), examples, { ks: [1, 5, 20], excludeMentioned: true, candidates, blockSize: 7 });
    const clean = (x: number) => (Number.isNaN(x) ? -Infinity : x);
    let candTotal = 0;
    examples.forEach((ex, e) => {
      const cands = candidates.filter((j) => j === ex.target || !ex.history.includes(j));
      candTotal += cands.length;
      const st = clean(rows[e][ex.target]);
      const higher = cands.filter((j) => clean(rows[e][j]) > st).length;
      const geq = cands.filter((j) => clean(rows[e][j]) >= st).length;
      const rank = Math.floor((higher + geq) / 2);
      for (const k of [1, 5, 20]) expect(res.perUnit[`hit@${k}`][e]).toBe(rank < k ? 1 : 0);
      expect(res.perUnit['ndcg@20'][e]).toBeCloseTo(rank < 20 ? 1 / Math.log2(rank + 2) : 0, 12);
    });
    expect(res.protocol.meanCandidates).toBeCloseTo(candTotal / examples.length, 12);
    expect(res.protocol.candidateCount).toBe(candidates.length);
  });
});
