import { describe, expect, it } from 'vitest';
import { LmrecError } from '@lmrec/core';
import { evaluateCrs, evaluateFullRanking, meanSe } from '../src/index.js';
import { factorScorer, randomSplit } from './helpers.js';

/** numpy's np.std(x, ddof=d) / sqrt(n), written out. */
function numpySe(x: number[], ddof: number): number {
  const n = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / n;
  return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - ddof)) / Math.sqrt(n);
}

describe('standard error with ddof 0 (numpy default, the official RTA code)', () => {
  it('hand-computed: [1, 2, 3, 4] -> population sd sqrt(5/4), se sqrt(5/4)/2; one value -> 0', () => {
    expect(meanSe([1, 2, 3, 4], 0)).toEqual({ mean: 2.5, se: Math.sqrt(1.25) / 2 });
    expect(meanSe([1, 2, 3, 4]).se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 14);
    expect(meanSe([0.3], 0)).toEqual({ mean: 0.3, se: 0 });
    expect(meanSe([0.3], 1).se).toBeNaN();
  });

  it('evaluateCrs: hits [1, 0, 0, 1] -> se 0.25 (ddof 0) vs 0.2887 (ddof 1), recorded in the protocol', async () => {
    // 4 examples over 3 items; the target is ranked first in examples 0 and 3, last otherwise.
    const nItems = 3;
    const scores = Float32Array.of(3, 2, 1, 1, 2, 3, 1, 2, 3, 3, 2, 1);
    const examples = [0, 0, 0, 0].map((target) => ({ target, history: [] }));
    const scorer = { nItems, scoreExamples: (idx: Int32Array) => scores.slice(idx[0] * nItems, (idx[idx.length - 1] + 1) * nItems) };
    const d0 = await evaluateCrs(scorer, examples, { ks: [1], ddof: 0 });
    expect(d0.perUnit['hit@1']).toEqual([1, 0, 0, 1]);
    expect(d0.metrics['hit@1']).toEqual({ mean: 0.5, se: 0.25 });
    expect([d0.protocol.ddof, d0.protocol.standardError]).toEqual([0, 'population std (ddof = 0, numpy default) / sqrt(n)']);
    const d1 = await evaluateCrs(scorer, examples, { ks: [1] });
    expect(d1.metrics['hit@1'].se).toBeCloseTo(Math.sqrt(1 / 3) / 2, 14);
    expect(d1.protocol.ddof).toBe(1);
    expect(d1.perUnit).toEqual(d0.perUnit);
  });

  it('evaluateFullRanking: every metric se is numpy std(ddof=0)/sqrt(n) of its per-user values', async () => {
    const split = randomSplit(40, 30, 3);
    const scorer = factorScorer(40, 30, 4, 5, true);
    const d0 = await evaluateFullRanking(scorer, split, { on: 'test', ks: [5, 10], ddof: 0 });
    const d1 = await evaluateFullRanking(scorer, split, { on: 'test', ks: [5, 10] });
    expect(d0.protocol.ddof).toBe(0);
    expect(d1.protocol.ddof).toBe(1);
    for (const [key, values] of Object.entries(d0.perUnit)) {
      expect(d0.metrics[key].se, key).toBeCloseTo(numpySe(values, 0), 14);
      expect(d1.metrics[key].se, key).toBeCloseTo(numpySe(values, 1), 14);
      expect(d0.metrics[key].mean).toBe(d1.metrics[key].mean);
    }
  });

  it('rejects other ddof values', async () => {
    const scorer = { nItems: 2, scoreExamples: () => Float32Array.of(1, 0) };
    await expect(evaluateCrs(scorer, [{ target: 0, history: [] }], { ddof: 2 as never })).rejects.toThrow(LmrecError);
    await expect(evaluateFullRanking(factorScorer(4, 5, 2, 1, false), randomSplit(4, 5, 1), { on: 'valid', ddof: '0' as never })).rejects.toThrow(/ddof must be 0 or 1/);
  });
});
