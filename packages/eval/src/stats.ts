import type { MetricSummary } from './types.js';

/** Mean and standard error, sample std with ddof = 1 (Bessel), two-pass for accuracy. */
export function meanSe(values: ArrayLike<number>): MetricSummary {
  const n = values.length;
  if (n === 0) return { mean: NaN, se: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n < 2) return { mean, se: NaN };
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return { mean, se: Math.sqrt(ss / (n - 1)) / Math.sqrt(n) };
}

/** Summaries and plain arrays for every per-unit column. */
export function summarise(columns: Map<string, Float64Array>): { metrics: Record<string, MetricSummary>; perUnit: Record<string, number[]> } {
  const metrics: Record<string, MetricSummary> = {};
  const perUnit: Record<string, number[]> = {};
  for (const [key, values] of columns) {
    metrics[key] = meanSe(values);
    perUnit[key] = Array.from(values);
  }
  return { metrics, perUnit };
}
