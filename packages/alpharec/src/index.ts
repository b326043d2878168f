export {
  AlphaRec,
  LinearMapping,
  LEAK_WARNING,
  type AlphaRecConfig,
  type AlphaRecOptions,
  type AlphaRecFitOptions,
  type AlphaRecFitResult,
  type Recommendation,
  type RecommendRequest,
} from './alpharec.js';
export { AlphaRecNet, type AlphaRecNetConfig, type FinalEmbeddings } from './model.js';
export { Mapping, mapRows, type MappingConfig, type MappingKind } from './mapping.js';
export { infoNce, type ContrastiveBatch, type InfoNceResult, type LossKernel } from './infonce.js';
export { AlphaRecSampler, type AlphaRecSamplerOptions } from './sampler.js';
export { propagate, propagateBackward, propagateTensor } from './graph.js';
export { CosineScorer, normalizeRowsInPlace } from './scorer.js';
export { meanItemVectors, historyMean, type ItemEmbeddings } from './user-vectors.js';
export { mlpWidth, referenceMultiplierForFile, PAPER_FIRST_LAYER_WEIGHTS, REFERENCE_MULTIPLIERS, REFERENCE_EMBEDDING_FILES, type WidthOptions } from './width.js';
export { combineDomains, trainMultiDomain, zeroShot, type Domain, type CombinedDomains } from './zero-shot.js';
export { loadAlphaRecModel, fromAlphaRecDir } from './load.js';
export { alpharecModule, alpharecPlugin, linearMappingPlugin, zesrecPlugin, unisrecPlugin, temPlugin } from './module.js';
export { alpharecOptions, linearMappingOptions, zesrecOptions, unisrecOptions, temOptions } from './options.js';
export { Tem, type TemConfig } from './baselines/tem.js';
export { ZesRec } from './baselines/zesrec.js';
export { UniSRec, type UniSRecConfig } from './baselines/unisrec.js';
export { isDomainTransfer, type DomainTransfer } from './baselines/transfer.js';
export { ALPHAREC_ORIGIN } from './origin.js';
