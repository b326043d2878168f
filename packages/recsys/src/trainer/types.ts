import type { CfSplit, ProgressReporter, Rng, Scorer, tf } from '@lmrec/core';

/** What a model's loss sees besides the batch. */
export interface StepContext {
  /** 0-based epoch. */
  epoch: number;
  /** Global optimiser step before this batch (0-based); schedules (KL annealing) derive from it. */
  step: number;
  /** Seeded stream for this epoch's stochastic layers (dropout, reparameterisation). */
  rng: Rng;
  /** The split being trained on. */
  split: CfSplit;
}

/** A scorer for evaluation; `dispose` frees whatever it precomputed. */
export type EvalScorer = Scorer & { dispose?(): void };

/**
 * Anything the Trainer can train. The loss is computed inside the optimiser's
 * gradient tape (`tf.variableGrads`), so it must be built from the trainable
 * variables with tfjs ops (or differentiable custom ops such as core's spmmOp).
 */
export interface TrainableModel<B = unknown> {
  readonly name: string;
  /** Build variables for this split (initialised from `rng`); called once before training. */
  init(split: CfSplit, rng: Rng): void;
  trainableVariables(): tf.Variable[];
  /** Scalar loss for one batch. Runs inside the gradient tape; tensors are tidied by the Trainer. */
  loss(batch: B, ctx: StepContext): tf.Scalar;
  /** The model's default sampler for this split (the Trainer's `sampler` option overrides it). */
  sampler(split: CfSplit): Sampler<B>;
  /** A scorer for the current weights (evaluation); may precompute (e.g. graph propagation). */
  scorer(split: CfSplit): EvalScorer;
  /** Every tensor needed to restore the weights, keyed by stable names. */
  state(): Record<string, tf.Tensor>;
  loadState(state: Record<string, tf.Tensor>): void;
}

/** Produces one epoch of mini-batches from a seeded stream. */
export interface Sampler<B = unknown> {
  /** Samples per epoch (for progress, items/s and ETA). */
  size(): number;
  /** The batches of one epoch, in order; deterministic given `rng`. */
  batches(rng: Rng, batchSize: number): Iterable<{ batch: B; size: number }>;
}

export type OptimizerName = 'adam' | 'adamw';

export interface OptimizerConfig {
  name?: OptimizerName;
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** AdamW: decoupled weight decay (p -= lr * wd * p); Adam: ignored unless `l2` is set. */
  weightDecay?: number;
  /** Clip gradients by their global norm (as torch.nn.utils.clip_grad_norm_). */
  clipNorm?: number;
}

/** The subset of @lmrec/eval's EvalResult the Trainer reads. */
export interface EvalResultLike {
  n: number;
  metrics: Record<string, { mean: number; se: number }>;
}

export type Evaluator = (
  scorer: Scorer,
  split: CfSplit,
  options: { on: 'valid' | 'test'; ks?: number[]; progress?: ProgressReporter },
) => Promise<EvalResultLike> | EvalResultLike;

/** One line of the per-epoch JSON-lines log. */
export interface EpochRecord {
  epoch: number;
  /** Mean batch loss over the epoch. */
  loss: number;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  /** Valid metrics when this epoch was evaluated ("recall@20": mean). */
  valid?: Record<string, number>;
  evalSeconds?: number;
  best?: boolean;
}

export interface TrainResult {
  /** Epochs completed (including any before a resume). */
  epochs: number;
  /** 0-based epoch whose weights were kept (keep-best), or the last epoch without evaluation. */
  bestEpoch: number;
  bestMetrics?: Record<string, number>;
  stoppedEarly: boolean;
  /** True when `signal` or `onEpochEnd` stopped the run before its end. */
  interrupted: boolean;
  /** Why the run ended: all epochs done, patience exhausted, maxSeconds reached, or interrupted. */
  stopReason: 'epochs' | 'patience' | 'time' | 'interrupted';
  log: EpochRecord[];
}
