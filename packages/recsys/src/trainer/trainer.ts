import { LmrecError, Rng, silentProgress, tf, type CfSplit, type ProgressReporter } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { readLatestCheckpoint, toHost, withHostTensors, writeCheckpoint, writeLog, type HostState, type TrainerState } from './checkpoint.js';
import { AdamOptimizer } from './optimizer.js';
import type { EpochRecord, Evaluator, OptimizerConfig, Sampler, StepContext, TrainableModel, TrainResult } from './types.js';

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
  /** Metric that selects the best epoch and drives early stopping. Default "recall@20". */
  metric?: string;
  /** Cut-offs passed to the evaluator; the metric's own K is always included. Default [10, 20, 50]. */
  ks?: number[];
  /** Stop after this many evaluations without improvement. Default 10; Infinity disables. */
  patience?: number;
  /** Improvement needed to count as better. Default 0. */
  minDelta?: number;
  /** Restore the weights of the best evaluated epoch at the end. Default true. */
  keepBest?: boolean;
  /** Full-ranking evaluator; default `evaluateFullRanking` from @lmrec/eval. */
  evaluator?: Evaluator;
  /** Write a checkpoint here every `checkpointEvery` epochs (and when stopping). */
  checkpointDir?: string;
  /** Default 1. */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpointDir` when there is one. Default true. */
  resume?: boolean;
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
  /** Override the model's default sampler. */
  sampler?: Sampler<any>;
}

/**
 * `evaluateFullRanking` from @lmrec/eval (full ranking, train + test masked at
 * valid), without list-level aggregates (not needed for model selection).
 */
export const defaultEvaluator: Evaluator = (scorer, split, options) => evaluateFullRanking(scorer, split, { ...options, aggregates: false });

/**
 * The one training loop every lmrec model uses: seeded mini-batch epochs,
 * Adam / AdamW with gradient clipping, VALID-only evaluation every n epochs,
 * early stopping, keep-best, atomic checkpoints and exact resume, progress and
 * a JSON-lines log.
 */
export class Trainer {
  constructor(readonly options: TrainerOptions = {}) {}

  async fit<B>(model: TrainableModel<B>, split: CfSplit): Promise<TrainResult> {
    const o = this.options;
    const epochs = o.epochs ?? 100;
    const batchSize = o.batchSize ?? 2048;
    const seed = o.seed ?? 2024;
    const evalEvery = o.evalEvery ?? 5;
    const metric = o.metric ?? 'recall@20';
    const patience = o.patience ?? 10;
    const minDelta = o.minDelta ?? 0;
    const keepBest = o.keepBest ?? true;
    const checkpointEvery = o.checkpointEvery ?? 1;
    const progress = o.progress ?? silentProgress;
    const ks = ksFor(metric, o.ks ?? [10, 20, 50]);
    if (!(batchSize >= 1) || !(epochs >= 0)) throw new LmrecError('E_CONFIG', `invalid batchSize ${batchSize} or epochs ${epochs}`);

    const root = new Rng(seed);
    model.init(split, root.fork('init'));
    const variables = model.trainableVariables();
    const optimizer = new AdamOptimizer(variables, o.optimizer);
    const sampler = (o.sampler as Sampler<B> | undefined) ?? model.sampler(split);

    let start = 0;
    let bestScore = -Infinity;
    let bestEpoch = -1;
    let bestMetrics: Record<string, number> | undefined;
    let best: HostState | undefined;
    let badEvals = 0;
    let stoppedEarly = false;
    let finished = false;
    const log: EpochRecord[] = [];

    if (o.checkpointDir && (o.resume ?? true)) {
      const ckpt = await readLatestCheckpoint(o.checkpointDir);
      if (ckpt) {
        if (ckpt.trainer.model !== model.name || ckpt.trainer.seed !== seed) {
          throw new LmrecError('E_CHECKPOINT', `checkpoint is for model "${ckpt.trainer.model}" seed ${ckpt.trainer.seed}, not "${model.name}" seed ${seed}`, {
            file: o.checkpointDir,
            hint: 'use another checkpointDir or resume: false',
          });
        }
        withHostTensors(ckpt.weights, (t) => model.loadState(t));
        withHostTensors(ckpt.optimizer, (t) => optimizer.loadState(ckpt.trainer.step, t));
        start = ckpt.trainer.epoch;
        bestScore = ckpt.trainer.bestScore ?? -Infinity;
        bestEpoch = ckpt.trainer.bestEpoch;
        bestMetrics = ckpt.trainer.bestMetrics;
        best = ckpt.best;
        badEvals = ckpt.trainer.badEvals;
        stoppedEarly = ckpt.trainer.stoppedEarly;
        finished = ckpt.trainer.finished;
        log.push(...ckpt.trainer.log);
        progress.log?.(`resumed ${model.name} from ${o.checkpointDir} after epoch ${start}`);
      }
    }
    if (o.logPath) await writeLog(o.logPath, log);

    const saveCheckpoint = async (epochDone: number) => {
      if (!o.checkpointDir) return;
      const state: TrainerState = {
        format: 'lmrec-trainer-checkpoint',
        version: 1,
        model: model.name,
        seed,
        epoch: epochDone,
        step: optimizer.step,
        rng: { seed, streams: ['init', 'sample:<epoch>', 'train:<epoch>'] },
        bestEpoch,
        bestScore: Number.isFinite(bestScore) ? bestScore : null,
        bestMetrics,
        badEvals,
        finished,
        stoppedEarly,
        log,
      };
      await writeCheckpoint(o.checkpointDir, {
        trainer: state,
        weights: toHost(model.state()),
        optimizer: toHost(optimizer.state().tensors),
        best,
      });
    };

    let interrupted = false;
    const overall = progress.start(`train ${model.name}`, epochs, 'epochs');
    overall.tick(start);
    const evaluator = evalEvery > 0 ? (o.evaluator ?? defaultEvaluator) : undefined;
    const startedAt = performance.now();
    let outOfTime = false;
    try {
      for (let epoch = start; epoch < epochs && !finished; epoch++) {
        const t0 = performance.now();
        const task = progress.start(`${model.name} epoch ${epoch + 1}/${epochs}`, sampler.size(), 'samples');
        const ctx: StepContext = { epoch, step: optimizer.step, rng: root.fork(`train:${epoch}`), split };
        let lossSum = 0;
        let samples = 0;
        for (const { batch, size } of sampler.batches(root.fork(`sample:${epoch}`), batchSize)) {
          ctx.step = optimizer.step;
          const lossValue = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => model.loss(batch, ctx), variables);
            optimizer.apply(variables.map((v) => grads[v.name]));
            return (value.dataSync() as Float32Array)[0];
          });
          if (!Number.isFinite(lossValue)) {
            throw new LmrecError('E_DIVERGED', `${model.name}: loss is ${lossValue} at epoch ${epoch + 1}, step ${optimizer.step}`, { hint: 'lower the learning rate or enable clipNorm' });
          }
          lossSum += lossValue * size;
          samples += size;
          task.tick(size);
          task.set({ loss: Number((lossSum / samples).toFixed(5)) });
        }
        task.end();
        const seconds = (performance.now() - t0) / 1000;
        const record: EpochRecord = { epoch: epoch + 1, loss: samples ? lossSum / samples : NaN, samples, seconds, samplesPerSecond: samples / Math.max(seconds, 1e-9) };

        outOfTime = o.maxSeconds !== undefined && (performance.now() - startedAt) / 1000 >= o.maxSeconds;
        const last = epoch === epochs - 1 || outOfTime;
        if (evaluator && ((epoch + 1) % evalEvery === 0 || last)) {
          const e0 = performance.now();
          const scorer = model.scorer(split);
          let result;
          try {
            result = await evaluator(scorer, split, { on: 'valid', ks });
          } finally {
            scorer.dispose?.();
          }
          record.evalSeconds = (performance.now() - e0) / 1000;
          record.valid = Object.fromEntries(Object.entries(result.metrics).map(([k, v]) => [k, v.mean]));
          const score = record.valid[metric];
          if (score === undefined) {
            throw new LmrecError('E_CONFIG', `the evaluator reported no "${metric}"`, { field: 'metric', hint: `one of ${Object.keys(record.valid).join(', ')}` });
          }
          if (score > bestScore + minDelta || bestEpoch < 0) {
            bestScore = score;
            bestEpoch = epoch;
            bestMetrics = record.valid;
            record.best = true;
            badEvals = 0;
            if (keepBest) best = toHost(model.state());
          } else {
            badEvals++;
          }
          if (badEvals >= patience) stoppedEarly = true;
        }
        log.push(record);
        if (o.logPath) await writeLog(o.logPath, log);
        overall.tick();
        const remaining = epochs - epoch - 1;
        progress.log?.(
          `${model.name} epoch ${epoch + 1}: loss ${record.loss.toFixed(5)}, ${Math.round(record.samplesPerSecond)} samples/s, ${seconds.toFixed(2)} s` +
            (record.valid ? `, valid ${metric} ${record.valid[metric].toFixed(4)}` : '') +
            (remaining > 0 && !stoppedEarly ? `, ETA <= ${Math.round(remaining * (seconds + (record.evalSeconds ?? 0)))} s` : ''),
        );
        finished = stoppedEarly || last;
        const aborted = o.signal?.aborted ?? false;
        if (o.checkpointDir && ((epoch + 1) % checkpointEvery === 0 || finished || aborted)) await saveCheckpoint(epoch + 1);
        const verdict = await o.onEpochEnd?.(record);
        if (aborted || verdict === false) {
          interrupted = !finished;
          break;
        }
      }
    } finally {
      overall.end();
    }
    if (keepBest && best && !interrupted) withHostTensors(best, (t) => model.loadState(t));
    optimizer.dispose();
    return {
      epochs: log.length,
      bestEpoch: bestEpoch >= 0 ? bestEpoch : log.length - 1,
      bestMetrics,
      stoppedEarly,
      interrupted,
      stopReason: interrupted ? 'interrupted' : stoppedEarly ? 'patience' : outOfTime ? 'time' : 'epochs',
      log,
    };
  }
}

function ksFor(metric: string, ks: number[]): number[] {
  const m = /@(\d+)$/.exec(metric);
  const out = new Set(ks);
  if (m) out.add(Number(m[1]));
  return [...out].sort((a, b) => a - b);
}
