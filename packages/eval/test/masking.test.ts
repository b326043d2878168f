import { describe, expect, it } from 'vitest';
import { Csr, Rng, type CfSplit, type Scorer } from '@lmrec/core';
import { evaluateFullRanking } from '../src/index.js';

/** Split whose parts overlap on purpose: targets also present in train and in the other part. */
function overlappingSplit(nUsers: number, nItems: number, seed: number): CfSplit {
  const rng = new Rng(seed);
  const rows: number[][][] = [[], [], []];
  for (let u = 0; u < nUsers; u++) {
    const r: number[][] = [[], [], []];
    for (let j = 0; j < nItems; j++) for (let p = 0; p < 3; p++) if (rng.float() < 0.3) r[p].push(j);
    r.forEach((x, p) => rows[p].push(x));
  }
  return { nUsers, nItems, train: Csr.fromRows(nItems, rows[0]), valid: Csr.fromRows(nItems, rows[1]), test: Csr.fromRows(nItems, rows[2]) };
}

/** Scores the given part's items 1, every other item 0: a perfect ranker for those targets. */
function oracle(part: Csr): Scorer {
  return {
    nItems: part.nCols,
    scoreBlock(users) {
      const out = new Float32Array(users.length * part.nCols);
      users.forEach((u, r) => part.row(u).forEach((j) => (out[r * part.nCols + j] = 1)));
      return out;
    },
  };
}

describe('masking never hides a target', () => {
  const split = overlappingSplit(40, 30, 2);
  for (const on of ['test', 'valid'] as const) {
    it(`at ${on}: a perfect ranker gets recall@|I| = 1 and ndcg = 1 though targets overlap train and the other split`, async () => {
      const part = on === 'test' ? split.test : split.valid;
      let overlaps = 0;
      for (let u = 0; u < 40; u++) for (const j of part.row(u)) if (split.train.has(u, j)) overlaps++;
      expect(overlaps).toBeGreaterThan(20);
      const res = await evaluateFullRanking(oracle(part), split, { on, ks: [30, 5], blockSize: 6 });
      expect(res.perUnit['recall@30'].every((v) => v === 1)).toBe(true);
      expect(res.perUnit['ndcg@5'].every((v) => Math.abs(v - 1) < 1e-12)).toBe(true);
      expect(res.perUnit['hr@5'].every((v) => v === 1)).toBe(true);
    });
  }

  it('non-target seen items are masked: an adversarial ranker that loves seen items still finds the targets', async () => {
    // score = 2 for train or other-split items, 1 for targets, 0 else: if masking failed, seen items would fill the top
    const on = 'test';
    const scorer: Scorer = {
      nItems: 30,
      scoreBlock(users) {
        const out = new Float32Array(users.length * 30);
        users.forEach((u, r) => {
          for (const j of split.train.row(u)) out[r * 30 + j] = 2;
          for (const j of split.valid.row(u)) out[r * 30 + j] = 2;
          for (const j of split.test.row(u)) out[r * 30 + j] = 1;
        });
        return out;
      },
    };
    const res = await evaluateFullRanking(scorer, split, { on, ks: [5] });
    // targets that are also seen score 2 and stay candidates; the rest score 1; every non-target seen item is gone
    expect(res.perUnit['ndcg@5'].every((v) => Math.abs(v - 1) < 1e-12)).toBe(true);
  });
});
