import { gatherRows, LmrecError, Rng, tf, type ProgressReporter } from '@lmrec/core';
import { evaluateCrs, type CrsExampleLike, type EvalResult } from '@lmrec/eval';
import { matMul, rowLogSumExp, swapLast, Trainer, type EpochRecord, type Trainable, type TrainerOptions } from '@lmrec/recsys';
import type { ReindexModel } from './model.js';
import { ReindexPairSampler, type ReindexBatch, type ReindexPairs } from './pair-sampler.js';

export type { ReindexPairs, ReindexBatch };

/** Validation: one query row per example, evaluated with the CRS protocol. */
export interface ReindexValidation {
  queries: Float32Array;
  examples: readonly CrsExampleLike[];
}

/**
 * Every hyperparameter of the reindex step, defaults as in RTA's reference
 * code unless noted. Run options (checkpoints, log, signal, time budget)
 * are the shared Trainer's.
 */
export interface TrainReindexOptions extends Pick<TrainerOptions, 'checkpointDir' | 'checkpointKey' | 'resume' | 'checkpointEvery' | 'logPath' | 'signal' | 'maxSeconds'> {
  /** Negatives per batch, uniform over the catalogue, shared by the batch. Default 1000 (reference). */
  negatives?: number;
  /** AdamW learning rate. Default 1e-4 (reference). */
  lr?: number;
  /** AdamW decoupled weight decay. Default 0 (reference; the optimiser's own AdamW default is 0.01). */
  weightDecay?: number;
  /** Default 256 (reference). */
  batchSize?: number;
  /** Global gradient-norm clip. Default 5 (reference). */
  clipNorm?: number;
  /** Default 20. */
  maxEpochs?: number;
  /** Evaluations without improvement of the validation metric before stopping. Default 3. */
  patience?: number;
  /** Evaluate on validation every n epochs (and after the last). Default 1 (the reference validates every 2). */
  evalEvery?: number;
  /** Validation metric key of evaluateCrs, default "hit@10" (= Recall@10 with one target per example). */
  metric?: string;
  /** Also evaluate before the first epoch, so training can never end worse than the initial aggregator. Default true. */
  evaluateInitial?: boolean;
  /** Seed of the shuffling and the negatives. Default 0. */
  seed?: number;
  progress?: ProgressReporter;
  /** Called after every epoch (JSON-serialisable record). */
  onEpoch?: (log: EpochLog) => void;
}

export interface EpochLog {
  epoch: number;
  /** Mean loss per pair over the epoch. */
  loss: number;
  /** Mean global gradient norm before clipping. */
  gradNorm: number;
  steps: number;
  ms: number;
  valid?: number;
}

export interface TrainReindexResult {
  epochs: EpochLog[];
  /** 0 = the initial aggregator was best. */
  bestEpoch: number;
  bestValid?: number;
  initialValid?: number;
  stoppedEarly: boolean;
}

/**
 * Sampled-softmax loss of RTA's reindex step, averaged over the batch:
 * -log e^{q.v+} / (e^{q.v+} + sum_n e^{q.n}), plain dot products, no
 * temperature. q [B, d], positives [B, d], negatives [N, d] shared.
 */
export function reindexLoss(q: tf.Tensor2D, positives: tf.Tensor2D, negatives: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.sum(tf.mul(q, positives), 1, true);
    // explicit transpose: wasm multiplies by a transposed operand ~9x slower (BENCHMARKS.md, RTA epochs)
    const neg = matMul(q, swapLast(negatives));
    const logits = tf.concat([pos, neg], 1);
    // rowLogSumExp: tfjs' own logSumExp gradient runs a broadcast Equal that costs ~40 ms a batch on wasm
    return tf.mean(tf.sub(rowLogSumExp(logits as tf.Tensor2D), tf.squeeze(pos, [1]))) as tf.Scalar;
  });
}

/** Hit@10 etc. of the model on validation queries (CRS protocol). */
export async function evaluateReindex(model: ReindexModel, data: ReindexValidation, options: { ks?: number[]; excludeMentioned?: boolean; progress?: ProgressReporter } = {}): Promise<EvalResult> {
  const scorer = model.scorer(data.queries);
  try {
    return await evaluateCrs(scorer, data.examples, { ks: options.ks ?? [1, 5, 10, 50], excludeMentioned: options.excludeMentioned, progress: options.progress });
  } finally {
    scorer.dispose();
  }
}

function checkPairs(model: ReindexModel, train: ReindexPairs): void {
  const nQueries = train.queries.length / model.dim;
  if (!Number.isInteger(nQueries)) throw new LmrecError('E_SHAPE', `train queries (${train.queries.length} values) are not a multiple of d = ${model.dim}`);
  if (train.queryIndex.length !== train.items.length) throw new LmrecError('E_SHAPE', `${train.queryIndex.length} query indices for ${train.items.length} items`);
  for (let i = 0; i < train.items.length; i++) {
    if (!(train.items[i] >= 0 && train.items[i] < model.nItems)) throw new LmrecError('E_RANGE', `pair ${i}: item ${train.items[i]} is outside [0, ${model.nItems})`);
    if (!(train.queryIndex[i] >= 0 && train.queryIndex[i] < nQueries)) throw new LmrecError('E_RANGE', `pair ${i}: query ${train.queryIndex[i]} is outside [0, ${nQueries})`);
  }
}

/**
 * The aggregator as the Trainer sees it: loss = reindexLoss on a pair batch
 * (B positives, then exactly `negatives` shared negatives), item vectors
 * through batchVectors. trainReindex runs it; drive a Trainer of your own
 * with it to change the loop, not the step.
 */
export function reindexTrainable(model: ReindexModel, negatives: number, inputs: Record<string, { data: Float32Array; rowLength: number }> = {}): Trainable<ReindexBatch> {
  const agg = model.aggregator;
  return {
    name: `reindex-${agg.name}`,
    trainableVariables: () => agg.trainableVariables(),
    loss: (batch) => {
      const B = batch.size;
      const qt = tf.tensor2d(batch.q, [B, model.dim]);
      const v = batchVectors(model, batch.items);
      return reindexLoss(qt, tf.slice(v, [0, 0], [B, -1]) as tf.Tensor2D, tf.slice(v, [B, 0], [negatives, -1]) as tf.Tensor2D);
    },
    state: () => agg.state(),
    loadState: (state) => agg.loadState(state),
    randomStreams: agg.randomStreams ? () => agg.randomStreams!() : undefined,
    inputs: () => inputs,
  };
}

/**
 * Vectors [B + N, d] of a batch's items. A deterministic aggregator runs
 * once over the batch's distinct items (one packed GRU run instead of five
 * 256-item chunks cut the kernels of an rnn batch from ~8,800 to ~2,400;
 * the targets repeat and overlap the negatives, so ~10% fewer titles too)
 * and the rows are copied out; duplicates' gradients add up, as they do
 * through the copies. One with dropout keeps its chunks and its draws.
 */
export function batchVectors(model: ReindexModel, items: Int32Array): tf.Tensor2D {
  if (model.aggregator.randomStreams) return model.itemVectors(items, true);
  const slot = new Map<number, number>();
  const where = Int32Array.from(items, (item) => {
    let at = slot.get(item);
    if (at === undefined) slot.set(item, (at = slot.size));
    return at;
  });
  const distinct = Int32Array.from(slot.keys());
  const v = model.itemVectors(distinct, true, distinct.length);
  return distinct.length === items.length ? v : gatherRows(v, where);
}

/**
 * The reindex step: trains the aggregator (the backbone stays frozen) with
 * the sampled softmax above through the shared Trainer (AdamW, global-norm
 * clipping, early stopping and keep-best on the validation metric,
 * checkpoints and exact resume when `checkpointDir` is set).
 */
export async function trainReindex(model: ReindexModel, train: ReindexPairs, valid: ReindexValidation | undefined, options: TrainReindexOptions = {}): Promise<TrainReindexResult> {
  checkPairs(model, train);
  const negatives = options.negatives ?? 1000;
  const metric = options.metric ?? 'hit@10';
  const metricK = Number(/@(\d+)$/.exec(metric)?.[1] ?? 10);
  const validate = valid
    ? async () => {
        const r = await evaluateReindex(model, valid, { ks: [metricK] });
        if (!r.metrics[metric]) throw new LmrecError('E_ARGUMENT', `metric "${metric}" is not computed by evaluateCrs`, { field: 'metric', hint: 'use hit@K or ndcg@K' });
        return { [metric]: r.metrics[metric].mean };
      }
    : undefined;
  if (model.aggregator.trainableVariables().length === 0) {
    // nothing to train (sum aggregator, or frozen): the reindexed catalogue is fixed
    const initialValid = validate && (options.evaluateInitial ?? true) ? (await validate())[metric] : undefined;
    return { epochs: [], bestEpoch: 0, bestValid: initialValid, initialValid, stoppedEarly: false };
  }
  const inputs = { 'train queries': { data: train.queries, rowLength: model.dim }, ...(valid ? { 'valid queries': { data: valid.queries, rowLength: model.dim } } : {}), ...model.inputs() };
  const sampler = new ReindexPairSampler(train, model, negatives, new Rng(options.seed ?? 0).fork('reindex-train'));
  const trainer = new Trainer({
    ...runOptions(options),
    epochs: options.maxEpochs ?? 20,
    batchSize: options.batchSize ?? 256,
    optimizer: { name: 'adamw', lr: options.lr ?? 1e-4, weightDecay: options.weightDecay ?? 0, clipNorm: options.clipNorm ?? 5 },
    evalEvery: options.evalEvery ?? 1,
    evaluateInitial: options.evaluateInitial ?? true,
    metric,
    patience: options.patience ?? 3,
    onEpochEnd: (r) => void options.onEpoch?.(epochLog(r, metric)),
  });
  const r = await trainer.train({ model: reindexTrainable(model, negatives, inputs), sampler, validate });
  return {
    epochs: r.log.map((l) => epochLog(l, metric)),
    bestEpoch: r.bestEpoch + 1,
    bestValid: r.bestMetrics?.[metric],
    initialValid: r.initialMetrics?.[metric],
    stoppedEarly: r.stoppedEarly,
  };
}

function runOptions(o: TrainReindexOptions): TrainerOptions {
  return { seed: o.seed ?? 0, progress: o.progress, checkpointDir: o.checkpointDir, checkpointKey: o.checkpointKey, resume: o.resume, checkpointEvery: o.checkpointEvery, logPath: o.logPath, signal: o.signal, maxSeconds: o.maxSeconds, trackGradNorm: true };
}

function epochLog(r: EpochRecord, metric: string): EpochLog {
  const log: EpochLog = { epoch: r.epoch, loss: r.loss, gradNorm: r.gradNorm ?? NaN, steps: r.steps ?? 0, ms: r.seconds * 1000 };
  if (r.valid) log.valid = r.valid[metric];
  return log;
}

/** Data labels: one pair per example (query row = example index, item = its target). */
export function dataLabelPairs(queries: Float32Array, examples: readonly { target: number }[]): ReindexPairs {
  return {
    queries,
    queryIndex: Int32Array.from(examples.map((_, i) => i)),
    items: Int32Array.from(examples.map((e) => e.target)),
  };
}
