import { describe, expect, it } from 'vitest';
import type { Scorer } from '@lmrec/core';
import { evaluateFullRanking } from '../src/index.js';
import { factorScorer, randomSplit } from './helpers.js';

describe('sampled evaluation (explicit option)', () => {
  const split = randomSplit(30, 40, 6);

  it('is labelled, seeded, and differs from full ranking', async () => {
    const scorer = factorScorer(30, 40, 3, 1, true);
    const a = await evaluateFullRanking(scorer, split, { on: 'test', ks: [1, 5], sampled: { negatives: 2, seed: 3 } });
    const b = await evaluateFullRanking(scorer, split, { on: 'test', ks: [1, 5], sampled: { negatives: 2, seed: 3 }, blockSize: 3 });
    const c = await evaluateFullRanking(scorer, split, { on: 'test', ks: [1, 5], sampled: { negatives: 2, seed: 4 } });
    const full = await evaluateFullRanking(scorer, split, { on: 'test', ks: [1, 5] });
    expect(a.protocol.sampled).toBe(true);
    expect(a.protocol.kind).toBe('sampled');
    expect(String(a.protocol.warning)).toMatch(/not the catalogue/);
    expect(full.protocol.sampled).toBe(false);
    expect(a.perUnit).toEqual(b.perUnit);
    expect(a.perUnit).not.toEqual(c.perUnit);
    // few negatives make the task easier: sampled recall is inflated
    expect(a.metrics['recall@5'].mean).toBeGreaterThan(full.metrics['recall@5'].mean);
  });

  it('with enough negatives to exhaust the catalogue it equals full ranking (both scoring paths)', async () => {
    for (const withFactors of [true, false]) {
      const scorer = factorScorer(30, 40, 3, 2, withFactors);
      const sampled = await evaluateFullRanking(scorer, split, { on: 'valid', ks: [1, 4, 10], sampled: { negatives: 1000 } });
      const full = await evaluateFullRanking(scorer, split, { on: 'valid', ks: [1, 4, 10] });
      expect(sampled.perUnit).toEqual(full.perUnit);
    }
  });

  it('never samples a masked item or a target as a negative', async () => {
    // masked items score highest: any one drawn would push targets down
    const scorer: Scorer = {
      nItems: 40,
      scoreBlock(users) {
        const out = new Float32Array(users.length * 40);
        users.forEach((u, r) => {
          for (const j of split.train.row(u)) out[r * 40 + j] = 10;
          for (const j of split.valid.row(u)) out[r * 40 + j] = 10;
          for (const j of split.test.row(u)) out[r * 40 + j] = split.train.has(u, j) || split.valid.has(u, j) ? 10 : 5;
        });
        return out;
      },
    };
    const res = await evaluateFullRanking(scorer, split, { on: 'test', ks: [40], sampled: { negatives: 3, seed: 9 } });
    expect(res.perUnit['ndcg@40'].every((v) => Math.abs(v - 1) < 1e-12)).toBe(true);
    expect(res.perUnit['precision@40'].every((v, i) => Math.abs(v - split.test.degree(res.ids![i] as number) / 40) < 1e-12)).toBe(true);
  });
});
