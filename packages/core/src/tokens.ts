/**
 * One Symbol per extension point. A plugin package binds its implementations
 * under these tokens (named, e.g. Aggregator "rnn") in a ContainerModule.
 */
export const TYPES = {
  TensorBackend: Symbol.for('lmrec.TensorBackend'),
  TextEncoder: Symbol.for('lmrec.TextEncoder'),
  Backbone: Symbol.for('lmrec.Backbone'),
  Aggregator: Symbol.for('lmrec.Aggregator'),
  GatingRecommender: Symbol.for('lmrec.GatingRecommender'),
  CrsModel: Symbol.for('lmrec.CrsModel'),
  Recommender: Symbol.for('lmrec.Recommender'),
  DatasetLoader: Symbol.for('lmrec.DatasetLoader'),
  Metric: Symbol.for('lmrec.Metric'),
  PluginRegistry: Symbol.for('lmrec.PluginRegistry'),
} as const;

/**
 * Dependencies a plugin factory reads from its pipeline (`requires` /
 * `optional` in its definition, then `deps.get(DEPS.X)` in `create`). The
 * runner binds what a step has; a plugin package may define tokens of its own.
 */
export const DEPS = {
  /** number: the run's seed. */
  Seed: Symbol.for('lmrec.dep.Seed'),
  /** ProgressReporter of the run. */
  Progress: Symbol.for('lmrec.dep.Progress'),
  /** TextEncoder: the pipeline's encoder (for item texts, intentions, new items). */
  TextEncoder: Symbol.for('lmrec.dep.TextEncoder'),
  /** { dim, data }: frozen item language vectors, row-major [nItems, dim]. */
  ItemEmbeddings: Symbol.for('lmrec.dep.ItemEmbeddings'),
  /** readonly string[]: the item texts (titles) of the dataset. */
  ItemTexts: Symbol.for('lmrec.dep.ItemTexts'),
  /** { dir }: the folder where encoders cache embeddings. */
  EmbeddingCache: Symbol.for('lmrec.dep.EmbeddingCache'),
  /** Backbone: the frozen LM of an RTA pipeline. */
  Backbone: Symbol.for('lmrec.dep.Backbone'),
  /** number: an aggregator's input (token embedding) dimension. */
  InputDim: Symbol.for('lmrec.dep.InputDim'),
  /** number: catalogue size, for models built before any data is seen (gating nets). */
  NItems: Symbol.for('lmrec.dep.NItems'),
} as const;

/** The extension points that hold named plugin factories. */
export const EXTENSION_POINTS = [
  'TensorBackend',
  'TextEncoder',
  'Backbone',
  'Aggregator',
  'GatingRecommender',
  'CrsModel',
  'Recommender',
  'DatasetLoader',
  'Metric',
] as const;

export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];
