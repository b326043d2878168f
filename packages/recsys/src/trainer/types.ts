import type { CfSplit, ProgressReporter, Rng, Scorer, tf } from '@lmrec/core';

/** What a loss sees besides the batch, in any training run. */
export interface StepInfo {
  /** 0-based epoch. */
  epoch: number;
  /** Global optimiser step before this batch (0-based); schedules (KL annealing) derive from it. */
  step: number;
  /** Seeded stream for this epoch's stochastic layers (dropout, reparameterisation), forked from the seed per epoch. */
  rng: Rng;
}

/** A CF model's step context: StepInfo plus the split being trained on. */
export interface StepContext extends StepInfo {
  split: CfSplit;
}

/**
 * A training step computed on the host: the loss, and for each trainable
 * variable its values (`hostValues(variable)`, which the optimiser updates in
 * place) and its gradient (undefined = none).
 */
export interface HostStep {
  loss: number;
  params: Float32Array[];
  grads: (Float32Array | undefined)[];
}

/** A set of variables with its own learning rate / weight decay (torch's parameter groups). */
export interface ParameterGroup {
  variables: tf.Variable[];
  /** Default: the optimiser's lr. */
  lr?: number;
  /** Default: the optimiser's weightDecay. */
  weightDecay?: number;
}

/**
 * Anything the Trainer can optimise. The loss is computed inside the
 * optimiser's gradient tape (`tf.variableGrads`) and a `tf.tidy`, so it must
 * be built from the trainable variables with tfjs ops (or differentiable
 * custom ops such as core's spmmOp); tensors it creates are freed for it.
 */
export interface Trainable<B = unknown> {
  readonly name: string;
  trainableVariables(): tf.Variable[];
  /** Scalar loss for one batch. */
  loss(batch: B, info: StepInfo): tf.Scalar;
  /**
   * The same loss with its gradient on plain arrays, when the model has that
   * form (undefined = use `loss`): the Trainer then skips the tape and
   * updates with the optimiser's host path.
   */
  hostStep?(batch: B, info: StepInfo): HostStep | undefined;
  /** Every tensor needed to restore the weights, keyed by stable names (checkpoints, keep-best). */
  state(): Record<string, tf.Tensor>;
  loadState(state: Record<string, tf.Tensor>): void;
  /** Variables that train with another lr / weight decay; the rest form the default group. */
  parameterGroups?(): ParameterGroup[];
  /**
   * Random streams the model draws from by itself (e.g. an aggregator's
   * dropout stream). Their state goes into checkpoints so a resumed run
   * draws what the uninterrupted run drew.
   */
  randomStreams?(): Record<string, Rng>;
  /** Numbers for the epoch log (e.g. a gate value). */
  describe?(): Record<string, number>;
  /** Frozen inputs the loss reads (embeddings, context vectors), checked for NaN / Inf before training. */
  inputs?(): Record<string, { data: ArrayLike<number>; rowLength?: number }>;
}

/** Produces one epoch of mini-batches. */
export interface Sampler<B = unknown> {
  /** Samples per epoch (for progress, items/s and ETA). */
  size(): number;
  /** The batches of one epoch, in order; deterministic given `rng` (and the sampler's own state). */
  batches(rng: Rng, batchSize: number): Iterable<{ batch: B; size: number }>;
  /** True when an incomplete last batch is dropped (named in the zero-step error). */
  readonly dropLast?: boolean;
  /** Unit of `size()` for progress. Default "samples". */
  readonly unit?: string;
  /**
   * A sampler that carries state across epochs (its own random stream, a
   * permutation reshuffled in place) returns it here as JSON; the Trainer
   * checkpoints it after every epoch and hands it back on resume.
   */
  state?(): unknown;
  restore?(state: unknown): void;
}

/** VALID metrics of the current weights, e.g. { "recall@20": 0.31 } or { "hit@10": 0.07 }. */
export type Validate = (info: { epoch: number }) => Promise<Record<string, number>> | Record<string, number>;

/** One training run as the generic engine sees it. */
export interface TrainingTask<B = unknown> {
  model: Trainable<B>;
  sampler: Sampler<B>;
  /** Evaluation for selection and early stopping; without it, the last epoch's weights are kept. */
  validate?: Validate;
  /** Builds / initialises the model's weights from the seeded stream (once per fit, before any resume). */
  init?: (rng: Rng) => void;
}

/** A scorer for evaluation; `dispose` frees whatever it precomputed. */
export type EvalScorer = Scorer & { dispose?(): void };

/** A CF model the Trainer can fit on a CfSplit (evaluated by full ranking). */
export interface TrainableModel<B = unknown> {
  readonly name: string;
  /** Build variables for this split (initialised from `rng`); called once before training. */
  init(split: CfSplit, rng: Rng): void;
  trainableVariables(): tf.Variable[];
  /** Scalar loss for one batch. Runs inside the gradient tape; tensors are tidied by the Trainer. */
  loss(batch: B, ctx: StepContext): tf.Scalar;
  /** Host form of `loss` with its gradient (see `Trainable.hostStep`). */
  hostStep?(batch: B, ctx: StepContext): HostStep | undefined;
  /** The model's default sampler for this split (the Trainer's `sampler` option overrides it). */
  sampler(split: CfSplit): Sampler<B>;
  /** A scorer for the current weights (evaluation); may precompute (e.g. graph propagation). */
  scorer(split: CfSplit): EvalScorer;
  /** Every tensor needed to restore the weights, keyed by stable names. */
  state(): Record<string, tf.Tensor>;
  loadState(state: Record<string, tf.Tensor>): void;
  randomStreams?(): Record<string, Rng>;
  inputs?(): Record<string, { data: ArrayLike<number>; rowLength?: number }>;
}

export type OptimizerName = 'adam' | 'adamw';

export interface OptimizerConfig {
  /** 'adam' (L2 added to the gradient when weightDecay > 0) or 'adamw' (decoupled decay). Default 'adam'. */
  name?: OptimizerName;
  /** Learning rate, a finite number >= 0. Default 1e-3. */
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Default 0 for 'adam' and ADAMW_WEIGHT_DECAY (0.01, torch's AdamW default) for 'adamw'. */
  weightDecay?: number;
  /** Clip gradients by their global norm (as torch.nn.utils.clip_grad_norm_); undefined or 0 = off. */
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
  /** 1-based epoch. */
  epoch: number;
  /** Mean loss per sample over the epoch. */
  loss: number;
  samples: number;
  /** Optimiser steps in the epoch. */
  steps?: number;
  seconds: number;
  samplesPerSecond: number;
  /** Mean global gradient norm before clipping (when the optimiser computed it). */
  gradNorm?: number;
  /** Valid metrics when this epoch was evaluated ("recall@20": mean). */
  valid?: Record<string, number>;
  evalSeconds?: number;
  best?: boolean;
  /** The model's `describe()` after the epoch (e.g. the gate value). */
  extra?: Record<string, number>;
}

export interface TrainResult {
  /** Epochs completed (including any before a resume). */
  epochs: number;
  /**
   * 0-based epoch whose weights were kept (keep-best), -1 when the initial
   * weights were (evaluateInitial and no epoch beat them), or the last epoch
   * without evaluation.
   */
  bestEpoch: number;
  bestMetrics?: Record<string, number>;
  /** VALID metrics of the initial weights (evaluateInitial). */
  initialMetrics?: Record<string, number>;
  stoppedEarly: boolean;
  /** True when `signal` or `onEpochEnd` stopped the run before its end. */
  interrupted: boolean;
  /** Why the run ended: all epochs done, patience exhausted, maxSeconds reached, or interrupted. */
  stopReason: 'epochs' | 'patience' | 'time' | 'interrupted';
  log: EpochRecord[];
}
