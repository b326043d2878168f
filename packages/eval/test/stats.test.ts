import { describe, expect, it } from 'vitest';
import { Rng } from '@lmrec/core';
import { evaluateCrs, meanSe } from '../src/index.js';

/** Direct textbook formula: sqrt((sum x^2 - n xbar^2) / (n - 1)) / sqrt(n). */
function directSe(x: number[]): number {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const sq = x.reduce((a, b) => a + b * b, 0);
  return Math.sqrt((sq - n * mean * mean) / (n - 1) / n);
}

describe('standard error', () => {
  it('hand-computed: [1, 2, 3, 4] -> sd = sqrt(5/3), se = sqrt(5/3)/2', () => {
    const r = meanSe([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    expect(r.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 14);
  });

  it('matches the direct formula on random data, and n < 2 gives NaN', () => {
    const rng = new Rng(1);
    const x = Array.from({ length: 137 }, () => rng.normal() * 3 + 1);
    expect(meanSe(x).se).toBeCloseTo(directSe(x), 12);
    expect(meanSe([0.3]).se).toBeNaN();
    expect(meanSe([]).mean).toBeNaN();
  });

  it('the CRS evaluator reports that se for hit@K', async () => {
    const rng = new Rng(4);
    const nItems = 20;
    const n = 33;
    const scores = Float32Array.from({ length: n * nItems }, () => rng.float());
    const examples = Array.from({ length: n }, () => ({ target: rng.int(nItems), history: [] }));
    const res = await evaluateCrs({ nItems, scoreExamples: (idx) => scores.slice(idx[0] * nItems, (idx[idx.length - 1] + 1) * nItems) }, examples, { ks: [5] });
    const hits = res.perUnit['hit@5'];
    expect(hits.some((v) => v === 1) && hits.some((v) => v === 0)).toBe(true);
    expect(res.metrics['hit@5'].se).toBeCloseTo(directSe(hits), 12);
    expect(res.protocol.standardError).toMatch(/ddof = 1/);
  });
});
