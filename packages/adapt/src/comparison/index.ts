export { runRtaComparison } from './run.js';
export { rtaVariantNames, REINDEX_ROW, type GatingFactory, type RtaStep, type RtaComparisonOptions, type RtaComparisonResult, type RtaVariantResult, type RtaTrainingSummary, type RtaReindexSummary } from './types.js';
export { mentionCounts } from './data.js';
export { diagnosticsTable } from './report.js';
export { gatingFactoriesFromRegistry } from './registry.js';
export { runEveryStep } from './context.js';
