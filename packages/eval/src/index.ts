export type { EvalResult, MetricSummary } from './types.js';
export { meanSe, standardErrorRule, type Ddof } from './stats.js';
export { evaluateFullRanking, DEFAULT_CF_KS, type FullRankingOptions } from './full-ranking.js';
export { evaluateCrs, crsRank, CRS_RANK_RULE, DEFAULT_CRS_KS, type CrsScorer, type CrsExampleLike, type CrsOptions } from './crs.js';
export { SAMPLED_WARNING, type SampledOptions } from './sampled.js';
export { Recall, Precision, Ndcg, HitRate, Mrr, builtinMetrics, DEFAULT_METRICS } from './metrics/ranking.js';
export {
  CatalogueCoverage,
  MeanPopularityRank,
  GiniExposure,
  gini,
  popularityRanks,
  builtinAggregates,
  type AggregateMetric,
  type AggregateAccumulator,
  type AggregateContext,
} from './metrics/aggregate.js';
export { pairedTTest, pairedBootstrap, pairedValues, quantile, type TTestResult, type BootstrapOptions, type BootstrapResult } from './significance/paired.js';
export { tCdf, tTwoSidedP, incompleteBeta, lnGamma } from './significance/tdist.js';
export { resultTable, type ResultTable, type ResultTableOptions, type ResultCell } from './table.js';
export { evalModule, metricOptions, metricPlugins } from './module.js';
export { EVAL_ORIGIN } from './origin.js';
