import { LmrecError, Rng, silentProgress, tf, type ProgressReporter } from '@lmrec/core';
import { evaluateCrs, type CrsExampleLike, type EvalResult } from '@lmrec/eval';
import type { ReindexModel } from './model.js';
import { AdamW, clipByGlobalNorm } from './optim.js';

/** Training pairs: (row of `queries`, item id), e.g. one per example and target. */
export interface ReindexPairs {
  /** Context vectors [nQueries * d]. */
  queries: Float32Array;
  queryIndex: Int32Array;
  items: Int32Array;
}

/** Validation: one query row per example, evaluated with the CRS protocol. */
export interface ReindexValidation {
  queries: Float32Array;
  examples: readonly CrsExampleLike[];
}

export interface TrainReindexOptions {
  /** Negatives per batch, uniform over the catalogue, shared by the batch. Default 1000 (reference). */
  negatives?: number;
  /** AdamW learning rate. Default 1e-4 (reference). */
  lr?: number;
  /** AdamW decoupled weight decay. Default 0 (reference). */
  weightDecay?: number;
  /** Default 256 (reference). */
  batchSize?: number;
  /** Global gradient-norm clip. Default 5 (reference). */
  clipNorm?: number;
  /** Default 20. */
  maxEpochs?: number;
  /** Epochs without improvement of the validation metric before stopping. Default 3. */
  patience?: number;
  /** Validation metric key of evaluateCrs, default "hit@10" (= Recall@10 with one target per example). */
  metric?: string;
  /** Also evaluate before the first epoch, so training can never end worse than the initial aggregator. Default true. */
  evaluateInitial?: boolean;
  seed?: number;
  progress?: ProgressReporter;
  /** Called after every epoch (JSON-serialisable record). */
  onEpoch?: (log: EpochLog) => void;
}

export interface EpochLog {
  epoch: number;
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
    const neg = tf.matMul(q, negatives, false, true);
    const logits = tf.concat([pos, neg], 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.squeeze(pos, [1]))) as tf.Scalar;
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

/**
 * The reindex step: trains the aggregator (the backbone stays frozen) with
 * the sampled softmax above, AdamW + global-norm clipping, early stopping on
 * the validation metric (keep-best: the best epoch's aggregator state is
 * restored at the end).
 */
export async function trainReindex(model: ReindexModel, train: ReindexPairs, valid: ReindexValidation | undefined, options: TrainReindexOptions = {}): Promise<TrainReindexResult> {
  const d = model.dim;
  const nQueries = train.queries.length / d;
  if (!Number.isInteger(nQueries)) throw new LmrecError('E_SHAPE', `train queries (${train.queries.length} values) are not a multiple of d = ${d}`);
  if (train.queryIndex.length !== train.items.length) throw new LmrecError('E_SHAPE', `${train.queryIndex.length} query indices for ${train.items.length} items`);
  for (let i = 0; i < train.items.length; i++) {
    if (!(train.items[i] >= 0 && train.items[i] < model.nItems)) throw new LmrecError('E_RANGE', `pair ${i}: item ${train.items[i]} is outside [0, ${model.nItems})`);
    if (!(train.queryIndex[i] >= 0 && train.queryIndex[i] < nQueries)) throw new LmrecError('E_RANGE', `pair ${i}: query ${train.queryIndex[i]} is outside [0, ${nQueries})`);
  }
  const negatives = options.negatives ?? 1000;
  const batchSize = options.batchSize ?? 256;
  const clipNorm = options.clipNorm ?? 5;
  const maxEpochs = options.maxEpochs ?? 20;
  const patience = options.patience ?? 3;
  const metric = options.metric ?? 'hit@10';
  const metricK = Number(/@(\d+)$/.exec(metric)?.[1] ?? 10);
  const progress = options.progress ?? silentProgress;
  const rng = new Rng(options.seed ?? 0).fork('reindex-train');
  const optimizer = new AdamW({ lr: options.lr ?? 1e-4, weightDecay: options.weightDecay ?? 0 });
  const vars = model.aggregator.trainableVariables();
  const validate = async (): Promise<number | undefined> => {
    if (!valid) return undefined;
    const r = await evaluateReindex(model, valid, { ks: [metricK] });
    const m = r.metrics[metric];
    if (!m) throw new LmrecError('E_ARGUMENT', `metric "${metric}" is not computed by evaluateCrs`, { field: 'metric', hint: 'use hit@K or ndcg@K' });
    return m.mean;
  };
  const result: TrainReindexResult = { epochs: [], bestEpoch: 0, stoppedEarly: false };
  let best: Record<string, tf.Tensor> | undefined;
  const snapshot = () => {
    if (best) tf.dispose(Object.values(best));
    best = Object.fromEntries(Object.entries(model.aggregator.state()).map(([k, v]) => [k, tf.clone(v)]));
  };
  if (options.evaluateInitial ?? true) {
    result.initialValid = await validate();
    result.bestValid = result.initialValid;
    if (valid) snapshot();
  }
  if (vars.length === 0) {
    // nothing to train (sum aggregator, or frozen): the reindexed catalogue is fixed
    if (best) tf.dispose(Object.values(best));
    optimizer.dispose();
    return result;
  }
  const order = new Int32Array(train.items.length).map((_, i) => i);
  let sinceBest = 0;
  try {
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const t0 = performance.now();
      rng.shuffle(order);
      const steps = Math.ceil(order.length / batchSize);
      const task = progress.start(`reindex epoch ${epoch}`, order.length, 'pairs');
      let lossSum = 0;
      let normSum = 0;
      for (let s = 0; s < steps; s++) {
        // positives and negatives sorted by title length: chunks of the aggregator pad little
        const batch = sortPairs(order.subarray(s * batchSize, Math.min(order.length, (s + 1) * batchSize)), train.items, model.lengths);
        const B = batch.length;
        const q = new Float32Array(B * d);
        const items = new Int32Array(B + negatives);
        batch.forEach((p, r) => {
          const qi = train.queryIndex[p];
          q.set(train.queries.subarray(qi * d, (qi + 1) * d), r * d);
          items[r] = train.items[p];
        });
        const negs = new Int32Array(negatives);
        for (let j = 0; j < negatives; j++) negs[j] = rng.int(model.nItems);
        items.set(model.byLength(negs), B);
        const qt = tf.tensor2d(q, [B, d]);
        const { value, grads } = tf.variableGrads(() => {
          const v = model.itemVectors(items, true);
          const pos = tf.slice(v, [0, 0], [B, -1]) as tf.Tensor2D;
          const neg = tf.slice(v, [B, 0], [negatives, -1]) as tf.Tensor2D;
          return reindexLoss(qt, pos, neg);
        }, vars);
        const clipped = clipByGlobalNorm(grads, clipNorm);
        optimizer.step(vars, clipped.grads);
        lossSum += value.dataSync()[0];
        normSum += clipped.norm;
        tf.dispose([qt, value, ...Object.values(clipped.grads)]);
        task.tick(B);
        task.set({ loss: lossSum / (s + 1) });
      }
      task.end();
      const log: EpochLog = { epoch, loss: lossSum / steps, gradNorm: normSum / steps, steps, ms: performance.now() - t0 };
      log.valid = await validate();
      result.epochs.push(log);
      options.onEpoch?.(log);
      progress.log?.(`reindex epoch ${epoch}: loss ${log.loss.toFixed(4)}${log.valid === undefined ? '' : `, valid ${metric} ${log.valid.toFixed(4)}`}`);
      if (log.valid !== undefined) {
        if (result.bestValid === undefined || log.valid > result.bestValid) {
          result.bestValid = log.valid;
          result.bestEpoch = epoch;
          sinceBest = 0;
          snapshot();
        } else if (++sinceBest >= patience) {
          result.stoppedEarly = true;
          break;
        }
      } else {
        result.bestEpoch = epoch;
      }
    }
    if (best && valid) model.aggregator.loadState(best);
  } finally {
    if (best) tf.dispose(Object.values(best));
    optimizer.dispose();
  }
  return result;
}

/** Data labels: one pair per example (query row = example index, item = its target). */
export function dataLabelPairs(queries: Float32Array, examples: readonly { target: number }[]): ReindexPairs {
  return {
    queries,
    queryIndex: Int32Array.from(examples.map((_, i) => i)),
    items: Int32Array.from(examples.map((e) => e.target)),
  };
}

/** Pair indices sorted (stably) by the title length of their item. */
function sortPairs(pairs: Int32Array, items: Int32Array, lengths: Int32Array): Int32Array {
  return Int32Array.from([...pairs].sort((a, b) => lengths[items[a]] - lengths[items[b]] || a - b));
}
