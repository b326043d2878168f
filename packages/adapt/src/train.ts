import { LmrecError, Rng, tf, type ProgressReporter } from '@lmrec/core';
import { crsRank } from '@lmrec/eval';
import { ADAMW_WEIGHT_DECAY, Trainer, type EpochRecord, type OptimizerName, type Trainable, type TrainerOptions } from '@lmrec/recsys';
import { AdaptExampleSampler, type AdaptStepBatch } from './example-sampler.js';
import { checkExamples, makeBatch, scoreRows, type AdaptExamples } from './examples.js';
import { FrozenLlmLogits } from './llm-cache.js';
import { sampledSoftmaxLoss } from './loss.js';
import type { AdaptModel } from './models.js';

/**
 * Every hyperparameter of the adapt step (+Bias, +RecSys gating, a
 * recommender alone), with today's defaults. Run options (checkpoints, log,
 * signal, time budget) are the shared Trainer's.
 */
export interface AdaptTrainOptions extends Pick<TrainerOptions, 'checkpointDir' | 'checkpointKey' | 'resume' | 'checkpointEvery' | 'logPath' | 'signal' | 'maxSeconds'> {
  /** Most epochs to run (default 30); early stopping usually ends sooner. */
  epochs?: number;
  /** Default 256 (RTA reference). */
  batchSize?: number;
  /** Negatives per batch, drawn without replacement from all items, shared across the batch (default 1000, capped at nItems). */
  negatives?: number;
  /** Default 'adamw'. */
  optimizer?: OptimizerName;
  /** Learning rate (RTA reference: 1e-3 gating, 1e-4..1e-6 bias). Default 1e-3. */
  learningRate?: number;
  /** AdamW decoupled weight decay (default 0.01 = ADAMW_WEIGHT_DECAY, torch's AdamW default). */
  weightDecay?: number;
  /**
   * Learning rate of the item index's variables (a trainable aggregator),
   * when it should differ from `learningRate` (e.g. reindex's 1e-4 while the
   * bias terms use a larger rate). Default: `learningRate`.
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
  /** Also evaluate the untrained model, which then competes in selection (default true). */
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
  /** Mean training loss per example over the epoch. */
  loss: number;
  /** VALID Recall@K when evaluated this epoch. */
  valid?: number;
  seconds: number;
  /** tf.memory().numTensors after the epoch (leak check); -1 for epochs run before a resume. */
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

/** An adapt model as the Trainer sees it: RTA's sampled softmax on a batch of examples (fused over cached LLM logits when the model allows). */
export function adaptTrainable(model: AdaptModel, train: AdaptExamples, valid: AdaptExamples | undefined, indexLr: number | undefined): Trainable<AdaptStepBatch> {
  const inputs: Record<string, { data: Float32Array; rowLength?: number }> = {};
  if (train.queries) inputs['train queries'] = { data: train.queries, rowLength: train.dim };
  if (valid?.queries) inputs['valid queries'] = { data: valid.queries, rowLength: valid.dim };
  const cached = FrozenLlmLogits.for(model, train);
  const batchOf = (rows: Int32Array, cols: Int32Array) => (cached ? { histories: Array.from(rows, (r) => train.histories[r]), llm: cached.logits(rows, cols) } : makeBatch(train, rows, model));
  return {
    name: model.name,
    trainableVariables: () => model.trainableVariables(),
    loss: ({ rows, cols }) => {
      const fused = cached && model.frozenLoss?.(cached, { rows, cols, histories: Array.from(rows, (r) => train.histories[r]) }, true);
      return fused || sampledSoftmaxLoss(model.logits(batchOf(rows, cols), cols, true), rows.length);
    },
    hostStep: ({ rows, cols }) => (cached ? model.frozenHostStep?.(cached, { rows, cols }) : undefined),
    state: () => model.state(),
    loadState: (state) => model.loadState(state),
    parameterGroups: indexLr === undefined ? undefined : () => [{ variables: model.indexVariables?.() ?? [], lr: indexLr }],
    randomStreams: model.randomStreams ? () => model.randomStreams!() : undefined,
    describe: model.describe ? () => model.describe!() : undefined,
    inputs: () => inputs,
  };
}

/**
 * The adapt loop on the shared Trainer: AdamW on RTA's sampled softmax
 * (positive vs. N negatives drawn without replacement from the catalogue,
 * shared across the batch), early stopping and keep-best on VALID Recall@K
 * only, checkpoints and exact resume when `checkpointDir` is set. The model
 * ends with its best weights loaded.
 */
export async function trainAdapt(model: AdaptModel, train: AdaptExamples, valid: AdaptExamples | undefined, options: AdaptTrainOptions = {}): Promise<AdaptTrainResult> {
  const epochs = options.epochs ?? 30;
  const batchSize = options.batchSize ?? 256;
  const nNeg = Math.min(options.negatives ?? 1000, model.nItems);
  const k = options.validK ?? 10;
  const metric = `recall@${k}`;
  if (!(batchSize > 0 && nNeg > 0 && epochs >= 0)) throw new LmrecError('E_ARGUMENT', 'trainAdapt: batchSize, negatives and epochs must be positive');
  checkExamples(train, model.nItems, 'train');
  if (valid) checkExamples(valid, model.nItems, 'valid');
  if (model.trainableVariables().length === 0) throw new LmrecError('E_ARGUMENT', `model "${model.name}" has nothing to train`);
  const started = performance.now();
  const hasValid = !!valid && valid.targets.length > 0;
  const validate = hasValid ? async () => ({ [metric]: await validRecall(model, valid!, k, { excludeMentioned: options.excludeMentioned, scoreBatch: options.scoreBatch }) }) : undefined;
  const tensors = new Map<number, number>();
  const trainer = new Trainer({
    ...runOptions(options),
    epochs,
    batchSize,
    optimizer: { name: options.optimizer ?? 'adamw', lr: options.learningRate ?? 1e-3, weightDecay: options.weightDecay ?? ADAMW_WEIGHT_DECAY, clipNorm: options.clipNorm },
    evalEvery: options.evalEvery ?? 1,
    evaluateInitial: options.evalAtStart ?? true,
    metric,
    patience: options.patience ?? 3,
    onEpochEnd: (r) => {
      tensors.set(r.epoch, tf.memory().numTensors);
      options.onEpoch?.(epochLog(r, metric, tensors.get(r.epoch)!));
    },
  });
  const sampler = new AdaptExampleSampler(train, model.nItems, nNeg, new Rng(options.seed ?? 0).fork('adapt'));
  const r = await trainer.train({ model: adaptTrainable(model, train, valid, options.indexLearningRate), sampler, validate });
  return {
    model: model.name,
    epochsRun: r.log.length,
    bestEpoch: r.bestEpoch + 1,
    bestValid: hasValid ? (r.bestMetrics?.[metric] ?? NaN) : NaN,
    validMetric: metric,
    stoppedEarly: r.stoppedEarly,
    seconds: (performance.now() - started) / 1000,
    log: r.log.map((l) => epochLog(l, metric, tensors.get(l.epoch) ?? -1)),
    extra: model.describe?.(),
  };
}

function runOptions(o: AdaptTrainOptions): TrainerOptions {
  return { seed: o.seed ?? 0, progress: o.progress, checkpointDir: o.checkpointDir, checkpointKey: o.checkpointKey, resume: o.resume, checkpointEvery: o.checkpointEvery, logPath: o.logPath, signal: o.signal, maxSeconds: o.maxSeconds };
}

function epochLog(r: EpochRecord, metric: string, numTensors: number): AdaptEpochLog {
  const line: AdaptEpochLog = { epoch: r.epoch, loss: r.loss, seconds: r.seconds + (r.evalSeconds ?? 0), numTensors };
  if (r.valid) line.valid = r.valid[metric];
  if (r.extra) line.extra = r.extra;
  return line;
}
