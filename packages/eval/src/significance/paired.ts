import { LmrecError, Rng } from '@lmrec/core';
import type { EvalResult } from '../types.js';
import { tTwoSidedP } from './tdist.js';

export interface TTestResult {
  n: number;
  /** mean(a - b) */
  meanDiff: number;
  /** Sample std of the differences (ddof = 1). */
  sdDiff: number;
  /** sdDiff / sqrt(n) */
  se: number;
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) {
    throw new LmrecError('E_ARGUMENT', `paired test needs equal lengths, got ${a.length} and ${b.length}`, {
      hint: 'evaluate both models on the same users/examples; pairedValues() aligns two EvalResults by id',
    });
  }
  if (a.length < 2) throw new LmrecError('E_ARGUMENT', `paired test needs at least 2 pairs, got ${a.length}`);
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i] - b[i];
  return d;
}

/** Paired (dependent-samples) t-test of mean(a - b) = 0. */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): TTestResult {
  const d = differences(a, b);
  const n = d.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i];
  const meanDiff = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - meanDiff) ** 2;
  const sdDiff = Math.sqrt(ss / (n - 1));
  const se = sdDiff / Math.sqrt(n);
  const df = n - 1;
  // identical columns: no evidence of a difference; constant non-zero difference: certain
  const t = se > 0 ? meanDiff / se : meanDiff === 0 ? 0 : Math.sign(meanDiff) * Infinity;
  return { n, meanDiff, sdDiff, se, t, df, p: t === 0 ? 1 : tTwoSidedP(t, df) };
}

export interface BootstrapOptions {
  /** Resamples, default 1000. */
  iterations?: number;
  /** Default 0. */
  seed?: number;
  /** 1 - confidence level, default 0.05. */
  alpha?: number;
}

export interface BootstrapResult {
  n: number;
  meanDiff: number;
  /** Percentile interval of the resampled mean differences. */
  lower: number;
  upper: number;
  alpha: number;
  iterations: number;
  seed: number;
  /** Two-sided bootstrap p: 2 min(P*(diff <= 0), P*(diff >= 0)), capped at 1. */
  p: number;
}

/** Paired bootstrap: resample units with replacement, keep each unit's (a, b) pair together. */
export function pairedBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapResult {
  const iterations = options.iterations ?? 1000;
  const seed = options.seed ?? 0;
  const alpha = options.alpha ?? 0.05;
  if (!(Number.isInteger(iterations) && iterations > 0)) throw new LmrecError('E_ARGUMENT', `iterations must be a positive integer, got ${iterations}`);
  if (!(alpha > 0 && alpha < 1)) throw new LmrecError('E_ARGUMENT', `alpha must be in (0, 1), got ${alpha}`);
  const d = differences(a, b);
  const n = d.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i];
  const rng = new Rng(seed);
  const means = new Float64Array(iterations);
  let atMostZero = 0;
  let atLeastZero = 0;
  for (let it = 0; it < iterations; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rng.int(n)];
    const m = s / n;
    means[it] = m;
    if (m <= 0) atMostZero++;
    if (m >= 0) atLeastZero++;
  }
  means.sort();
  return {
    n,
    meanDiff: sum / n,
    lower: quantile(means, alpha / 2),
    upper: quantile(means, 1 - alpha / 2),
    alpha,
    iterations,
    seed,
    p: Math.min(1, (2 * Math.min(atMostZero, atLeastZero)) / iterations),
  };
}

/** Linear-interpolation quantile of sorted values (type 7, numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The per-unit values of `metric` in two results, aligned by id (when both
 * carry ids) so that pairs are the same user or example.
 */
export function pairedValues(a: EvalResult, b: EvalResult, metric: string): [Float64Array, Float64Array] {
  const va = a.perUnit[metric];
  const vb = b.perUnit[metric];
  if (!va || !vb) throw new LmrecError('E_ARGUMENT', `metric "${metric}" is missing from ${!va ? 'the first' : 'the second'} result`, { field: metric });
  if (!a.ids || !b.ids) {
    if (va.length !== vb.length) throw new LmrecError('E_ARGUMENT', `results have ${va.length} and ${vb.length} units and no ids to pair them`);
    return [Float64Array.from(va), Float64Array.from(vb)];
  }
  if (a.ids.length !== b.ids.length) {
    throw new LmrecError('E_ARGUMENT', `results cover ${a.ids.length} and ${b.ids.length} units; paired tests need the same users/examples`);
  }
  const where = new Map<number | string, number>();
  b.ids.forEach((id, i) => where.set(id, i));
  if (where.size !== b.ids.length) throw new LmrecError('E_ARGUMENT', 'the second result has duplicate ids; cannot pair units by id');
  const outA = new Float64Array(va.length);
  const outB = new Float64Array(va.length);
  a.ids.forEach((id, i) => {
    const j = where.get(id);
    if (j === undefined) throw new LmrecError('E_ARGUMENT', `unit ${String(id)} is in the first result only; paired tests need the same users/examples`);
    outA[i] = va[i];
    outB[i] = vb[j];
  });
  return [outA, outB];
}
