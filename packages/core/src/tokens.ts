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
  Recommender: Symbol.for('lmrec.Recommender'),
  DatasetLoader: Symbol.for('lmrec.DatasetLoader'),
  Metric: Symbol.for('lmrec.Metric'),
  PluginRegistry: Symbol.for('lmrec.PluginRegistry'),
} as const;

/** The extension points that hold named plugin factories. */
export const EXTENSION_POINTS = [
  'TensorBackend',
  'TextEncoder',
  'Backbone',
  'Aggregator',
  'GatingRecommender',
  'Recommender',
  'DatasetLoader',
  'Metric',
] as const;

export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];
