/** Mean and standard error of one metric over the evaluated units. */
export interface MetricSummary {
  mean: number;
  /** Standard error of the mean: std (ddof 1 by default, or 0) / sqrt(n); NaN when n - ddof < 1. */
  se: number;
}

/**
 * What every evaluator returns: a plain, JSON-serialisable object that records
 * the protocol it was computed under, so two numbers are only compared when
 * they were measured the same way.
 */
export interface EvalResult {
  protocol: Record<string, unknown>;
  /** Number of evaluated units (users with targets, or CRS examples). */
  n: number;
  /** Keyed "recall@20", "ndcg@10", "hit@1", ... */
  metrics: Record<string, MetricSummary>;
  /** Per user / per example values, same order as `ids`, same keys as `metrics`. */
  perUnit: Record<string, number[]>;
  /** User ids (full ranking) or example ids (CRS) in `perUnit` order. */
  ids?: (number | string)[];
  /**
   * List-level diagnostics that have no per-user value (coverage@K,
   * popularity rank@K, gini@K). Additive to the shared contract.
   */
  aggregates?: Record<string, number>;
}
