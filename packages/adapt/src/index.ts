export { ADAPTER_KINDS, BiasAdapter, ScaleAdapter, ScaleBiasAdapter, createAdapter, type AdapterKind, type LogitAdapter } from './adapters.js';
export { RecSysGate, type RecSysGateOptions } from './gate.js';
export { FixedItemIndex, TrainableItemIndex, type ItemIndex, type ItemVectorSource } from './item-index.js';
export { BiasAdaptedModel, LlmModel, llmLogits, type AdaptBatch, type AdaptModel } from './models.js';
export { GatedModel, RecommenderModel } from './recsys-models.js';
export { crsScorer, makeBatch, disposeBatch, scoreRows, type AdaptExamples } from './examples.js';
export { sampledSoftmaxLoss } from './loss.js';
export { fusedAffineLoss, fusedGatedLoss, type FrozenLogitTable, type FusedBatch } from './fused-loss.js';
export { AdaptExampleSampler, type AdaptStepBatch } from './example-sampler.js';
export { trainAdapt, validRecall, type AdaptEpochLog, type AdaptTrainOptions, type AdaptTrainResult } from './train.js';
export { PopularityDiagnosticsAccumulator, type PopularityDiagnostics } from './diagnostics.js';
export {
  runRtaComparison,
  rtaVariantNames,
  mentionCounts,
  diagnosticsTable,
  REINDEX_ROW,
  gatingFactoriesFromRegistry,
  runEveryStep,
  type GatingFactory,
  type RtaStep,
  type RtaComparisonOptions,
  type RtaComparisonResult,
  type RtaVariantResult,
  type RtaTrainingSummary,
  type RtaReindexSummary,
} from './comparison/index.js';
export { adaptTrainOptions } from './options.js';
