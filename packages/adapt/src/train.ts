import { LmrecError, Rng, silentProgress, tf, type ProgressReporter } from '@lmrec/core';
import { checkExamples, disposeBatch, makeBatch, scoreRows, type AdaptExamples } from './examples.js';
import { sampledSoftmaxLoss } from './loss.js';
import type { AdaptModel } from './models.js';
import { AdamW, clipGlobalNorm } from './optim.js';
import { crsRank } from '@lmrec/eval';

export interface AdaptTrainOptions {
  /** Most epochs to run (default 30); early stopping usually ends sooner. */
  epochs?: number;
  /** Default 256 (RTA reference). */
  batchSize?: number;
  /** Negatives per batch, drawn without replacement from all items, shared across the batch (default 1000, capped at nItems). */
  negatives?: number;
  /** AdamW learning rate (RTA reference: 1e-3 gating, 1e-4..1e-6 bias). Default 1e-3. */
  learningRate?: number;
  /** AdamW decoupled weight decay (default 0.01, torch's AdamW default). */
  weightDecay?: number;
  /**
   * Learning rate of the item index's variables (a trainable aggregator),
   * when it should differ from `learningRate` (e.g. reindex's 1e-4 while the
   * bias terms use a larger rate). Default: `learningRate`, one optimiser.
   */
  indexLearningRate?: number;
  /** Global gradient-norm clip (off by default). */
  clipNorm?: number;
  /** Evaluations without improvement of VALID Recall@K before stopping (default 3). */
  patience?: number;
  /** Evaluate on valid every n epochs (default 1). */
  evalEvery?: number;
  /** K of the early-stopping metric Recall@K = Hit@K (default 10). */
  validK?: number;
  /** Also evaluate the untrained model, so training never ends below its start on valid (default true). */
  evalAtStart?: boolean;
  /** Drop items already mentioned in the context when ranking valid examples (default false, as the reference). */
  excludeMentioned?: boolean;
  /** Seed of the shuffling and negative sampling (default 0). */
  seed?: number;
  /** Examples scored at once during validation (default 256). */
  scoreBatch?: number;
  progress?: ProgressReporter;
  /** Called after every epoch with its log line. */
  onEpoch?: (log: AdaptEpochLog) => void;
}

export interface AdaptEpochLog {
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** VALID Recall@K when evaluated this epoch. */
  valid?: number;
  seconds: number;
  /** tf.memory().numTensors after the epoch (leak check). */
  numTensors: number;
  /** Model extras, e.g. the gate value. */
  extra?: Record<string, number>;
}

export interface AdaptTrainResult {
  model: string;
  epochsRun: number;
  /** Epoch whose weights were kept (0 = the untrained model). */
  bestEpoch: number;
  /** Its VALID Recall@K (NaN without valid examples). */
  bestValid: number;
  validMetric: string;
  stoppedEarly: boolean;
  seconds: number;
  log: AdaptEpochLog[];
  /** Model extras after restoring the best weights (e.g. the learned gate value). */
  extra?: Record<string, number>;
}

/** VALID Recall@K (= Hit@K, one target per example) under the CRS rank with ties averaged. */
export async function validRecall(model: AdaptModel, set: AdaptExamples, k = 10, options: { excludeMentioned?: boolean; scoreBatch?: number } = {}): Promise<number> {
  const n = set.targets.length;
  if (n === 0) return NaN;
  const block = options.scoreBatch ?? 256;
  let hits = 0;
  const allowed = options.excludeMentioned ? new Uint8Array(model.nItems) : undefined;
  for (let start = 0; start < n; start += block) {
    const rows = Int32Array.from({ length: Math.min(block, n - start) }, (_, i) => start + i);
    const scores = await scoreRows(model, set, rows);
    rows.forEach((r, i) => {
      if (allowed) {
        allowed.fill(1);
        for (const j of set.histories[r]) if (j !== set.targets[r]) allowed[j] = 0;
      }
      if (crsRank(scores, i * model.nItems, model.nItems, set.targets[r], allowed) < k) hits++;
    });
  }
  return hits / n;
}

/**
 * The adapt loop: AdamW on RTA's sampled softmax (positive vs. N negatives
 * drawn without replacement from the catalogue, shared across the batch),
 * early stopping and keep-best on VALID Recall@K only. The model ends with
 * its best weights loaded.
 */
export async function trainAdapt(model: AdaptModel, train: AdaptExamples, valid: AdaptExamples | undefined, options: AdaptTrainOptions = {}): Promise<AdaptTrainResult> {
  const epochs = options.epochs ?? 30;
  const batchSize = options.batchSize ?? 256;
  const nNeg = Math.min(options.negatives ?? 1000, model.nItems);
  const patience = options.patience ?? 3;
  const evalEvery = options.evalEvery ?? 1;
  const k = options.validK ?? 10;
  const progress = options.progress ?? silentProgress;
  if (!(batchSize > 0 && nNeg > 0 && epochs >= 0)) throw new LmrecError('E_ARGUMENT', 'trainAdapt: batchSize, negatives and epochs must be positive');
  checkExamples(train, model.nItems, 'train');
  if (valid) checkExamples(valid, model.nItems, 'valid');
  const vars = model.trainableVariables();
  if (vars.length === 0) throw new LmrecError('E_ARGUMENT', `model "${model.name}" has nothing to train`);
  const started = performance.now();
  const rng = new Rng(options.seed ?? 0).fork('adapt');
  const lr = options.learningRate ?? 1e-3;
  const optimizer = new AdamW({ learningRate: lr, weightDecay: options.weightDecay });
  const indexVars = new Set(options.indexLearningRate !== undefined ? (model.indexVariables?.() ?? []) : []);
  const indexOptimizer = indexVars.size ? new AdamW({ learningRate: options.indexLearningRate!, weightDecay: options.weightDecay }) : undefined;
  const headVars = vars.filter((v) => !indexVars.has(v));
  const step = (loss: () => tf.Scalar): number => {
    const { value, grads } = tf.variableGrads(loss, vars);
    try {
      if (options.clipNorm !== undefined) clipGlobalNorm(grads, options.clipNorm);
      optimizer.apply(grads, headVars);
      indexOptimizer?.apply(grads, [...indexVars]);
      return value.dataSync()[0];
    } finally {
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  };
  const hasValid = !!valid && valid.targets.length > 0;
  const evaluate = () => validRecall(model, valid!, k, { excludeMentioned: options.excludeMentioned, scoreBatch: options.scoreBatch });

  let best: Record<string, tf.Tensor> | undefined;
  let bestValid = -Infinity;
  let bestEpoch = 0;
  const keep = (epoch: number, value: number) => {
    if (best) tf.dispose(Object.values(best));
    best = Object.fromEntries(Object.entries(model.state()).map(([key, t]) => [key, tf.clone(t)]));
    bestValid = value;
    bestEpoch = epoch;
  };
  if (hasValid && (options.evalAtStart ?? true)) keep(0, await evaluate());

  const log: AdaptEpochLog[] = [];
  let sinceBest = 0;
  let stoppedEarly = false;
  const order = Int32Array.from({ length: train.targets.length }, (_, i) => i);
  const nBatches = Math.ceil(order.length / batchSize);
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = performance.now();
      rng.shuffle(order);
      const task = progress.start(`adapt ${model.name} epoch ${epoch}`, nBatches, 'batches');
      let lossSum = 0;
      for (let b = 0; b < nBatches; b++) {
        const rows = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
        const negatives = rng.sampleWithoutReplacement(model.nItems, nNeg);
        const cols = new Int32Array(rows.length + nNeg);
        rows.forEach((r, i) => (cols[i] = train.targets[r]));
        cols.set(negatives, rows.length);
        const batch = makeBatch(train, rows, model);
        try {
          lossSum += step(() => sampledSoftmaxLoss(model.logits(batch, cols, true), rows.length));
        } finally {
          disposeBatch(batch);
        }
        task.tick();
      }
      const line: AdaptEpochLog = { epoch, loss: lossSum / Math.max(1, nBatches), seconds: 0, numTensors: 0 };
      if (hasValid && (epoch % evalEvery === 0 || epoch === epochs)) {
        line.valid = await evaluate();
        if (line.valid > bestValid) {
          keep(epoch, line.valid);
          sinceBest = 0;
        } else {
          sinceBest++;
        }
      }
      line.extra = model.describe?.();
      line.seconds = (performance.now() - t0) / 1000;
      line.numTensors = tf.memory().numTensors;
      task.set({ loss: Number(line.loss.toFixed(4)), ...(line.valid === undefined ? {} : { [`valid_recall@${k}`]: Number(line.valid.toFixed(4)) }) });
      task.end();
      log.push(line);
      options.onEpoch?.(line);
      if (hasValid && sinceBest >= patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (best) model.loadState(best);
  } finally {
    if (best) tf.dispose(Object.values(best));
    optimizer.dispose();
    indexOptimizer?.dispose();
  }
  return {
    model: model.name,
    epochsRun: log.length,
    bestEpoch: hasValid ? bestEpoch : log.length,
    bestValid: hasValid ? bestValid : NaN,
    validMetric: `recall@${k}`,
    stoppedEarly,
    seconds: (performance.now() - started) / 1000,
    log,
    extra: model.describe?.(),
  };
}
