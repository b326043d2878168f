import { describe, expect, it } from 'vitest';
import { Csr, type CfSplit, type Scorer } from '@lmrec/core';
import { evaluateFullRanking, HitRate, Mrr, Ndcg, Precision, Recall } from '../src/index.js';

const L2 = (p: number) => 1 / Math.log2(p + 2); // discount at 0-based position p
const h = (...bits: number[]) => Uint8Array.from(bits);
const none = new Int32Array(0);

describe('per-user metrics, hand-computed', () => {
  const recall = new Recall();
  const precision = new Precision();
  const ndcg = new Ndcg();
  const hr = new HitRate();
  const mrr = new Mrr();

  it('several targets, hits at positions 0 and 2 of K = 5, |T| = 3', () => {
    const hits = h(1, 0, 1, 0, 0);
    expect(recall.compute(hits, 3, 5, none)).toBeCloseTo(2 / 3, 14);
    expect(precision.compute(hits, 3, 5, none)).toBeCloseTo(0.4, 14);
    // DCG = 1 + 1/log2(4) = 1.5; IDCG over 3 positions = 1 + 1/log2(3) + 0.5
    expect(ndcg.compute(hits, 3, 5, none)).toBeCloseTo(1.5 / (1 + 0.6309297535714575 + 0.5), 14);
    expect(hr.compute(hits, 3, 5, none)).toBe(1);
    expect(mrr.compute(hits, 3, 5, none)).toBe(1);
  });

  it('fewer targets than K: one target at position 1 of K = 4', () => {
    const hits = h(0, 1, 0, 0);
    expect(recall.compute(hits, 1, 4, none)).toBe(1);
    expect(precision.compute(hits, 1, 4, none)).toBe(0.25);
    expect(ndcg.compute(hits, 1, 4, none)).toBeCloseTo(0.6309297535714575, 14); // IDCG = 1
    expect(hr.compute(hits, 1, 4, none)).toBe(1);
    expect(mrr.compute(hits, 1, 4, none)).toBe(0.5);
  });

  it('more targets than K: IDCG over K positions', () => {
    const hits = h(1, 1);
    expect(recall.compute(hits, 5, 2, none)).toBe(0.4);
    expect(precision.compute(hits, 5, 2, none)).toBe(1);
    expect(ndcg.compute(hits, 5, 2, none)).toBeCloseTo(1, 14);
    expect(ndcg.compute(h(0, 1), 5, 2, none)).toBeCloseTo(0.6309297535714575 / (1 + 0.6309297535714575), 14);
  });

  it('no hit', () => {
    const hits = h(0, 0, 0);
    for (const m of [recall, precision, ndcg, hr, mrr]) expect(m.compute(hits, 2, 3, none)).toBe(0);
  });

  it('only the first k positions count', () => {
    const hits = h(0, 0, 1);
    for (const m of [recall, precision, ndcg, hr, mrr]) expect(m.compute(hits, 1, 2, none)).toBe(0);
    expect(mrr.compute(hits, 1, 3, none)).toBeCloseTo(1 / 3, 14);
  });

  it('ties in scores go to the lower item id; a masked item frees its place', async () => {
    // 1 user, 4 items, every score equal; test target = item 2
    const empty = Csr.fromRows(4, [[]]);
    const split: CfSplit = { nUsers: 1, nItems: 4, train: empty, valid: empty, test: Csr.fromRows(4, [[2]]) };
    const flat: Scorer = { nItems: 4, scoreBlock: (u) => new Float32Array(u.length * 4).fill(0.5) };
    const r1 = await evaluateFullRanking(flat, split, { on: 'test', ks: [2, 3], aggregates: false });
    expect(r1.perUnit['hr@2']).toEqual([0]); // top-2 = [0, 1]
    expect(r1.perUnit['mrr@3']).toEqual([1 / 3]); // top-3 = [0, 1, 2]
    expect(r1.perUnit['ndcg@3'][0]).toBeCloseTo(L2(2), 14);
    const masked = { ...split, train: Csr.fromRows(4, [[0]]) };
    const r2 = await evaluateFullRanking(flat, masked, { on: 'test', ks: [2], aggregates: false });
    expect(r2.perUnit['mrr@2']).toEqual([0.5]); // top-2 = [1, 2]
    expect(r2.perUnit['ndcg@2'][0]).toBeCloseTo(L2(1), 14);
    expect(r2.perUnit['precision@2']).toEqual([0.5]);
  });
});
