import type { CfSplit, ProgressReporter } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { TrainingRun } from './run.js';
import type { EpochRecord, Evaluator, OptimizerConfig, Sampler, Trainable, TrainableModel, TrainingTask, TrainResult, Validate } from './types.js';

export interface TrainerOptions {
  /** Maximum epochs. Default 100. */
  epochs?: number;
  /** Default 2048. */
  batchSize?: number;
  optimizer?: OptimizerConfig;
  /** Default 2024. */
  seed?: number;
  /** Evaluate on VALID every n epochs (and after the last one). 0 disables evaluation. Default 5. */
  evalEvery?: number;
  /** Also evaluate the untrained weights, which then compete in selection (bestEpoch -1 when they win). Default false. */
  evaluateInitial?: boolean;
  /** Metric that selects the best epoch and drives early stopping. Default "recall@20". */
  metric?: string;
  /** Cut-offs passed to the CF evaluator; the metric's own K is always included. Default [10, 20, 50]. */
  ks?: number[];
  /** Stop after this many evaluations without improvement. Default 10; Infinity disables. */
  patience?: number;
  /** Improvement needed to count as better. Default 0. */
  minDelta?: number;
  /** Restore the weights of the best evaluated epoch at the end. Default true. */
  keepBest?: boolean;
  /** CF fits: full-ranking evaluator; default `evaluateFullRanking` from @lmrec/eval. */
  evaluator?: Evaluator;
  /** Write a checkpoint here every `checkpointEvery` epochs (and when stopping). */
  checkpointDir?: string;
  /** Default 1. */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpointDir` when there is one. Default true. */
  resume?: boolean;
  /**
   * What the run depends on (e.g. a hash of its resolved config), stored in
   * the checkpoint: resuming a checkpoint written under another key is an
   * error, never a silent continuation of a different run.
   */
  checkpointKey?: string;
  /** Per-epoch JSON-lines log (loss, valid metrics, seconds). */
  logPath?: string;
  progress?: ProgressReporter;
  /**
   * Checked after each epoch: an aborted run writes a checkpoint (when checkpointDir is set) and
   * returns with `interrupted` (the model keeps its last weights, not the best ones).
   */
  signal?: AbortSignal;
  /** Called after each epoch (after its checkpoint); return false to interrupt the run (as `signal`). */
  onEpochEnd?: (record: EpochRecord) => void | boolean | Promise<void | boolean>;
  /**
   * Wall-clock budget for this call: after the epoch that crosses it, the run
   * ends like an early stop (evaluated first if evaluation is on; best weights kept).
   */
  maxSeconds?: number;
  /** CF fits: override the model's default sampler. */
  sampler?: Sampler<any>;
  /** Log the mean global gradient norm per epoch even without clipping (one device read per step). */
  trackGradNorm?: boolean;
}

/**
 * `evaluateFullRanking` from @lmrec/eval (full ranking, train + test masked at
 * valid), without list-level aggregates (not needed for model selection).
 */
export const defaultEvaluator: Evaluator = (scorer, split, options) => evaluateFullRanking(scorer, split, { ...options, aggregates: false });

/**
 * The one training loop of lmrec: epochs of mini-batches from a seeded
 * sampler, Adam / AdamW with clipping, evaluation on VALID every n epochs
 * (optionally of the initial weights too), early stopping with patience,
 * keep-best, atomic checkpoints with exact resume (also after kill -9),
 * progress (items/s, ETA) and a JSON-lines log.
 *
 * `train(task)` trains anything (`Trainable` + `Sampler` + a `validate`
 * function: CRS models, aggregators, adapters); `fit(model, split)` is the
 * CF form, evaluated by full ranking on the split's VALID part.
 */
export class Trainer {
  constructor(readonly options: TrainerOptions = {}) {}

  /** Trains a generic task. */
  train<B>(task: TrainingTask<B>): Promise<TrainResult> {
    return new TrainingRun(task, this.options).run();
  }

  /** Trains a CF model on a split, selecting on full-ranking VALID metrics. */
  fit<B>(model: TrainableModel<B>, split: CfSplit): Promise<TrainResult> {
    return this.train(cfTask(model, split, this.options));
  }
}

/** The generic task of a CF fit: the model's sampler, full-ranking validation through `evaluator`. */
export function cfTask<B>(model: TrainableModel<B>, split: CfSplit, options: Pick<TrainerOptions, 'sampler' | 'evaluator' | 'metric' | 'ks'> = {}): TrainingTask<B> {
  const sampler = (options.sampler as Sampler<B> | undefined) ?? model.sampler(split);
  const trainable: Trainable<B> = {
    name: model.name,
    trainableVariables: () => model.trainableVariables(),
    loss: (batch, info) => model.loss(batch, { ...info, split }),
    hostStep: model.hostStep ? (batch, info) => model.hostStep!(batch, { ...info, split }) : undefined,
    state: () => model.state(),
    loadState: (state) => model.loadState(state),
    randomStreams: model.randomStreams ? () => model.randomStreams!() : undefined,
    inputs: model.inputs ? () => model.inputs!() : undefined,
  };
  return { model: trainable, sampler, init: (rng) => model.init(split, rng), validate: cfValidation(model, split, options) };
}

/** VALID metrics of a CF model's current weights through a full-ranking evaluator. */
export function cfValidation(model: Pick<TrainableModel, 'scorer'>, split: CfSplit, options: Pick<TrainerOptions, 'evaluator' | 'metric' | 'ks'> = {}): Validate {
  const evaluator = options.evaluator ?? defaultEvaluator;
  const ks = ksFor(options.metric ?? 'recall@20', options.ks ?? [10, 20, 50]);
  return async () => {
    const scorer = model.scorer(split);
    try {
      const result = await evaluator(scorer, split, { on: 'valid', ks });
      return Object.fromEntries(Object.entries(result.metrics).map(([k, v]) => [k, v.mean]));
    } finally {
      scorer.dispose?.();
    }
  };
}

function ksFor(metric: string, ks: number[]): number[] {
  const m = /@(\d+)$/.exec(metric);
  const out = new Set(ks);
  if (m) out.add(Number(m[1]));
  return [...out].sort((a, b) => a - b);
}
