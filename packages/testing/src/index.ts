/**
 * @lmrec/testing: one contract suite per lmrec extension point, written
 * against the public interfaces of @lmrec/core only. Call one `*Contract`
 * per implementation from any vitest test file.
 */
export { registerSuite, runCheck, lazy, type Check, type Suite } from './suite.js';
export { aggregatorContract, aggregatorSuite, type AggregatorCase } from './aggregator.js';
export { backboneContract, backboneSuite, type BackboneCase } from './backbone.js';
export { datasetLoaderContract, datasetLoaderSuite, type BrokenInput, type DatasetLoaderCase } from './dataset-loader.js';
export { expectConversationDataset, expectInteractionDataset, expectSplitData, expectValidCsr } from './dataset-shapes.js';
export { crsModelContract, crsModelSuite, type CrsModelCase } from './crs-model.js';
export { gatingRecommenderContract, gatingRecommenderSuite, type GatingRecommenderCase } from './gating.js';
export { metricContract, metricSuite, METRIC_EDGES, type MetricCase, type MetricEdge } from './metric.js';
export { pluginFactoryContract, pluginFactorySuite, type PluginFactoryCase } from './plugin-factory.js';
export { recommenderContract, recommenderSuite, type RecommenderCase, type RecommenderUnderTest } from './recommender.js';
export type { TrainingCase } from './recommender-training.js';
export { tensorBackendContract, tensorBackendSuite, type TensorBackendCase } from './tensor-backend.js';
export { textEncoderContract, textEncoderSuite, CONTRACT_TEXTS, LONG_TEXT, NON_ASCII_TEXTS, type TextEncoderCase } from './text-encoder.js';
export { bruteRecall, plantedSplit, popularityScorer, type PlantedOptions } from './planted.js';
export { allFinite, caught, expectLmrecError, matMulJs, maxAbsDiff } from './numbers.js';
export { padTitles, randomTitles, randomValues } from './tensors.js';
