import type { FitOptions, TextEncoder } from '@lmrec/core';
import type { TrainerOptions, TrainResult } from '@lmrec/recsys';
import type { LossKernel } from './infonce.js';
import type { MappingKind } from './mapping.js';
import type { ItemEmbeddings } from './user-vectors.js';
import type { WidthOptions } from './width.js';

/** Model and training settings (all serialisable; saved with the model). */
export interface AlphaRecConfig extends WidthOptions {
  /** 'mlp' (AlphaRec) or 'linear' (`Linear(d, out, bias=False)`, the paper's linear mapping). */
  mapping?: MappingKind;
  /** Graph convolution layers L. Default 2 (MLP), 0 (linear). */
  layers?: number;
  /** Output dimension. Default 64. */
  outDim?: number;
  /** LeakyReLU slope. Default 0.01. */
  slope?: number;
  /** InfoNCE temperature. Default 0.15. */
  tau?: number;
  /** Negatives per (user, positive), with replacement. Default 256. */
  negatives?: number;
  /** Loss kernel (same numbers either way). Default 'auto'. */
  lossKernel?: LossKernel;
  lr?: number;
  batchSize?: number;
  epochs?: number;
  evalEvery?: number;
  /** Evaluations without gain before stopping. Default 20. */
  patience?: number;
  /** Selection metric. Default "recall@20". */
  metric?: string;
  /**
   * Split the epoch is selected on. 'valid' (default, leak-free). 'test'
   * reproduces the reference code, which selects on TEST: a leak, offered
   * only to reproduce published numbers; the fit result is labelled.
   */
  selectOn?: 'valid' | 'test';
}

export interface AlphaRecOptions extends AlphaRecConfig {
  /** Frozen item language vectors, row i = item i. Needed before fit (or use `load`). */
  itemEmbeddings?: ItemEmbeddings;
  /** Encoder of the item vectors; needed for new items from text and for intentions. */
  encoder?: TextEncoder;
  /** Negative item range per user (multi-domain training, see `trainMultiDomain`). Not saved. */
  itemRange?: (user: number) => readonly [number, number];
}

/**
 * fit() options: any AlphaRecConfig key for this fit only (the model's own
 * config, and so what `save()` stores, stays as constructed), plus the
 * Trainer's run options.
 */
export type AlphaRecFitOptions = FitOptions &
  AlphaRecConfig &
  Pick<TrainerOptions, 'checkpointDir' | 'checkpointKey' | 'resume' | 'checkpointEvery' | 'logPath' | 'signal' | 'onEpochEnd' | 'progress' | 'maxSeconds' | 'minDelta' | 'keepBest'>;

export type AlphaRecFitResult = TrainResult & { selectedOn: 'valid' | 'test'; warning?: string };

export interface Recommendation {
  items: Int32Array;
  scores: Float32Array;
}

export interface RecommendRequest {
  /** A known user (dense id)... */
  user?: number;
  /** ...or a new user's item history (dense item ids). */
  history?: ArrayLike<number>;
  /** Free-text intention, mixed in with weight alpha. */
  intention?: string;
  /** 0 = history only, 1 = intention only. Default 0.5 when an intention is given. */
  alpha?: number;
  /** Default 20. */
  k?: number;
  /** Leave out the history / the user's train items. Default true. */
  excludeSeen?: boolean;
}

export const DEFAULTS = { outDim: 64, slope: 0.01, tau: 0.15, negatives: 256, lossKernel: 'auto' as LossKernel, lr: 5e-4, batchSize: 4096, epochs: 500, evalEvery: 5, patience: 20, metric: 'recall@20' };

export const LEAK_WARNING = 'epoch selected on TEST (reference-code protocol): test metrics are optimistically biased; use selectOn: "valid" for honest numbers';

/** The keys of AlphaRecConfig (fit options outside them are run options). */
export const CONFIG_KEYS = [
  'hidden',
  'multiplier',
  'mapping',
  'layers',
  'outDim',
  'slope',
  'tau',
  'negatives',
  'lossKernel',
  'lr',
  'batchSize',
  'epochs',
  'evalEvery',
  'patience',
  'metric',
  'selectOn',
] as const;
