import { LmrecError } from '@lmrec/core';
import type { MetricSummary } from './types.js';

/**
 * Delta degrees of freedom of the standard error's std: 1 (default, Bessel's
 * sample std) or 0 (numpy's `np.std` default, std / sqrt(n), what the
 * official RTA code reports).
 */
export type Ddof = 0 | 1;

export function checkDdof(ddof: unknown): Ddof {
  if (ddof === undefined) return 1;
  if (ddof !== 0 && ddof !== 1) throw new LmrecError('E_ARGUMENT', `ddof must be 0 or 1, got ${JSON.stringify(ddof)}`, { field: 'ddof' });
  return ddof;
}

/** The protocol's description of the standard error under `ddof`. */
export function standardErrorRule(ddof: Ddof): string {
  return ddof === 1 ? 'sample std (ddof = 1) / sqrt(n)' : 'population std (ddof = 0, numpy default) / sqrt(n)';
}

/**
 * Mean and standard error sqrt(sum (x - mean)^2 / (n - ddof)) / sqrt(n),
 * two-pass for accuracy. With ddof = 1 the SE of one value is NaN; with
 * ddof = 0 it is 0 (numpy's std of one value).
 */
export function meanSe(values: ArrayLike<number>, ddof: Ddof = 1): MetricSummary {
  const n = values.length;
  if (n === 0) return { mean: NaN, se: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n - ddof < 1) return { mean, se: NaN };
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return { mean, se: Math.sqrt(ss / (n - ddof)) / Math.sqrt(n) };
}

/** Summaries and plain arrays for every per-unit column. */
export function summarise(columns: Map<string, Float64Array>, ddof: Ddof = 1): { metrics: Record<string, MetricSummary>; perUnit: Record<string, number[]> } {
  const metrics: Record<string, MetricSummary> = {};
  const perUnit: Record<string, number[]> = {};
  for (const [key, values] of columns) {
    metrics[key] = meanSe(values, ddof);
    perUnit[key] = Array.from(values);
  }
  return { metrics, perUnit };
}
