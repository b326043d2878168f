import { describe, expect, it } from 'vitest';
import { Rng } from '@lmrec/core';
import { pairedBootstrap, pairedTTest, pairedValues, tCdf, tTwoSidedP, type EvalResult } from '../src/index.js';

describe('t distribution', () => {
  it('matches table values', () => {
    expect(tTwoSidedP(2.0, 10)).toBeCloseTo(0.0734, 4);
    expect(tTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 6); // t_{0.975, 10}
    expect(tTwoSidedP(2.776445, 4)).toBeCloseTo(0.05, 6); // t_{0.975, 4}
    expect(tTwoSidedP(12.706205, 1)).toBeCloseTo(0.05, 6); // t_{0.975, 1}
    expect(tTwoSidedP(3.169273, 10)).toBeCloseTo(0.01, 6); // t_{0.995, 10}
  });

  it('closed forms: df = 1 (Cauchy) and df = 2', () => {
    for (const t of [0.3, 1, 2.5, 7]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(tTwoSidedP(t, 2)).toBeCloseTo(1 - t / Math.sqrt(t * t + 2), 12);
      expect(tCdf(-t, 7) + tCdf(t, 7)).toBeCloseTo(1, 12);
    }
    expect(tCdf(0, 5)).toBeCloseTo(0.5, 14);
  });
});

describe('paired t-test', () => {
  it('hand-computed: d = [0.5, -0.5, 1, 1, 1]', () => {
    // mean 0.6, sum of squared deviations 1.7, sd = sqrt(1.7/4), se = sd/sqrt(5), t = 0.6/se, df = 4
    const r = pairedTTest([1, 2, 3, 4, 5], [0.5, 2.5, 2, 3, 4]);
    const se = Math.sqrt(1.7 / 4) / Math.sqrt(5);
    expect(r.meanDiff).toBeCloseTo(0.6, 14);
    expect(r.se).toBeCloseTo(se, 14);
    expect(r.t).toBeCloseTo(0.6 / se, 12);
    expect(r.t).toBeCloseTo(2.0579830217, 9);
    expect(r.df).toBe(4);
    expect(r.p).toBeCloseTo(0.1087009513, 8);
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).p).toBe(0);
    expect(() => pairedTTest([1, 2], [1])).toThrow(/equal lengths/);
  });
});

describe('paired bootstrap', () => {
  const rng = new Rng(8);
  const n = 400;
  const b = Array.from({ length: n }, () => rng.normal());
  const a = b.map((x) => x + 0.3 + 0.5 * rng.normal()); // true mean difference 0.3

  it('seeded, contains the true difference, significant', () => {
    const r1 = pairedBootstrap(a, b, { iterations: 2000, seed: 5 });
    const r2 = pairedBootstrap(a, b, { iterations: 2000, seed: 5 });
    expect(r1).toEqual(r2);
    expect(r1.lower).toBeLessThan(0.3);
    expect(r1.upper).toBeGreaterThan(0.3);
    expect(r1.lower).toBeGreaterThan(0);
    expect(r1.p).toBe(0);
    // the 95% interval is about mean +- 1.96 se of the differences
    const t = pairedTTest(a, b);
    expect(r1.upper - r1.lower).toBeGreaterThan(2 * 1.96 * t.se * 0.85);
    expect(r1.upper - r1.lower).toBeLessThan(2 * 1.96 * t.se * 1.15);
    expect(pairedBootstrap(a, b, { iterations: 2000, seed: 6 }).lower).not.toBe(r1.lower);
  });

  it('no difference: interval straddles 0, p not small', () => {
    const c = b.map((x) => x + 0.5 * rng.normal());
    const r = pairedBootstrap(c, b, { iterations: 1000, seed: 1 });
    const t = pairedTTest(c, b);
    expect(r.lower).toBeLessThan(0);
    expect(r.upper).toBeGreaterThan(0);
    expect(r.lower).toBeLessThan(r.meanDiff);
    expect(r.upper).toBeGreaterThan(r.meanDiff);
    expect(r.p).toBeGreaterThan(0.05);
    expect(Math.abs(r.p - t.p)).toBeLessThan(0.1); // bootstrap and t-test agree on ~normal data
  });
});

describe('pairedValues', () => {
  const mk = (ids: number[], v: number[]): EvalResult => ({ protocol: {}, n: v.length, metrics: {}, perUnit: { m: v }, ids });
  it('aligns by id and rejects different unit sets', () => {
    const [x, y] = pairedValues(mk([1, 2, 3], [10, 20, 30]), mk([3, 1, 2], [3, 1, 2]), 'm');
    expect(Array.from(x)).toEqual([10, 20, 30]);
    expect(Array.from(y)).toEqual([1, 2, 3]);
    expect(() => pairedValues(mk([1, 2], [1, 2]), mk([1, 4], [1, 2]), 'm')).toThrow(/first result only/);
    expect(() => pairedValues(mk([1, 2], [1, 2]), mk([1, 1], [1, 2]), 'm')).toThrow(/duplicate ids/);
    // without ids, equal lengths pair by position
    const [p, q] = pairedValues({ ...mk([], [1, 2]), ids: undefined }, { ...mk([], [3, 4]), ids: undefined }, 'm');
    expect([...p, ...q]).toEqual([1, 2, 3, 4]);
  });
});
