export {
  BaseAggregator,
  SumAggregator,
  WeightedAggregator,
  RnnAggregator,
  TrmAggregator,
  createAggregator,
  AGGREGATOR_NAMES,
  type AggregatorName,
  type AnyAggregatorOptions,
  type SumAggregatorOptions,
  type WeightedAggregatorOptions,
  type RnnAggregatorOptions,
  type TrmAggregatorOptions,
} from './aggregators/index.js';
export { LexicalBackbone, type LexicalBackboneOptions } from './backbones/lexical.js';
export { GloveBackbone, gloveBackboneOptions, type GloveBackboneOptions } from './backbones/glove.js';
export {
  ArtifactsBackbone,
  writeArtifacts,
  ARTIFACTS_FORMAT,
  MANIFEST_FILE,
  TENSORS_FILE,
  type ArtifactsBackboneOptions,
  type ArtifactsManifest,
  type ArtifactsData,
} from './backbones/artifacts.js';
export { exportBackboneArtifacts, writeExportInputs, type ExportOptions } from './backbones/artifacts-export.js';
export { OpenAiBackbone, type OpenAiBackboneOptions } from './backbones/openai.js';
export { TransformersBackbone, type TransformersBackboneOptions } from './backbones/transformers.js';
export { RTA_PROMPT, renderContext, renderPrompt, contextKey, type PromptTemplate } from './prompt.js';
export { ReindexModel, type ReindexModelOptions } from './model.js';
export { clipByGlobalNorm } from '@lmrec/recsys';
export { ReindexPairSampler, type ReindexBatch } from './pair-sampler.js';
export {
  trainReindex,
  evaluateReindex,
  reindexLoss,
  reindexTrainable,
  dataLabelPairs,
  type ReindexPairs,
  type ReindexValidation,
  type TrainReindexOptions,
  type TrainReindexResult,
  type EpochLog,
} from './train.js';
export { TitleMatcher, normalizeTitle, levenshtein, distillationPairs, type TitleMatcherOptions, type TitleMatch, type NormalizedTitle, type DistillationStats } from './matcher.js';
export { learnToIndex, titleQueries, ablateContext, CONTEXT_ABLATIONS, type ContextAblation, type LearnToIndexResult, type AblationOptions } from './analyses.js';
export { encodeContexts } from './encode.js';
export { reindexModule, aggregatorPlugins, backbonePlugins } from './module.js';
export * as reindexOptions from './options.js';
export { REINDEX_ORIGIN } from './origin.js';
export { DenseRetriever } from './crs/dense-retriever.js';
export { LlmGenerator, completionTitles, generatorMessages, type GeneratorStats } from './crs/llm-generator.js';
export { contextText, type ContextTextOptions } from './crs/context-text.js';
export { crsModule, crsModelPlugins } from './crs/module.js';
export { denseRetrieverOptions, llmGeneratorOptions, type DenseRetrieverOptions, type LlmGeneratorOptions } from './crs/options.js';
