import { LmrecError, Rng, tf } from '@lmrec/core';
import { readLatestCheckpoint, toHost, withHostTensors, writeCheckpoint, writeLog, type TrainerState } from './checkpoint.js';
import { checkBatchFits, checkFiniteInputs, checkLoss, checkVariables, zeroSteps } from './guards.js';
import { AdamOptimizer } from './optimizer.js';
import { captureStreams, restoreStreams } from './rng-state.js';
import { resolveOptions } from './options.js';
import { Selection } from './selection.js';
import type { TrainerOptions } from './trainer.js';
import type { EpochRecord, StepInfo, TrainingTask, TrainResult } from './types.js';

/**
 * One fit of one model: the epoch loop with seeded per-epoch streams,
 * evaluation on VALID, keep-best, early stopping, atomic checkpoints with
 * exact resume, progress and the JSON-lines log. See `Trainer`.
 */
export class TrainingRun<B> {
  private readonly o: ReturnType<typeof resolveOptions>;
  private readonly root: Rng;
  private readonly selection: Selection;
  private readonly log: EpochRecord[] = [];
  private optimizer!: AdamOptimizer;
  private variables: tf.Variable[] = [];
  private start = 0;
  private finished = false;
  private interrupted = false;
  private outOfTime = false;
  private lastFinite: number | undefined;
  private readonly startedAt = performance.now();

  constructor(
    private readonly task: TrainingTask<B>,
    private readonly options: TrainerOptions,
  ) {
    this.o = resolveOptions(options);
    this.root = new Rng(this.o.seed);
    this.selection = new Selection(this.o.metric, this.o.patience, this.o.minDelta, this.o.keepBest);
  }

  private get name(): string {
    return this.task.model.name;
  }

  private get evaluates(): boolean {
    return this.task.validate !== undefined && this.o.evalEvery > 0;
  }

  async run(): Promise<TrainResult> {
    const { model, sampler } = this.task;
    this.task.init?.(this.root.fork('init'));
    this.variables = model.trainableVariables();
    checkVariables(this.name, this.variables);
    this.optimizer = new AdamOptimizer(this.variables, this.options.optimizer, model.parameterGroups?.() ?? []);
    this.optimizer.trackGradNorm = this.options.trackGradNorm ?? false;
    try {
      checkBatchFits(this.name, sampler, this.o.batchSize);
      const resumed = await this.resume();
      checkFiniteInputs(model);
      if (!resumed && this.evaluates && this.o.evaluateInitial) await this.evaluateInitial();
      if (this.options.logPath) await writeLog(this.options.logPath, this.log);
      await this.loop();
      if (this.o.keepBest && this.selection.best && !this.interrupted) withHostTensors(this.selection.best, (t) => model.loadState(t));
      return this.result();
    } finally {
      this.optimizer.dispose();
    }
  }

  private async loop(): Promise<void> {
    const overall = this.o.progress.start(`train ${this.name}`, this.o.epochs, 'epochs');
    overall.tick(this.start);
    try {
      for (let epoch = this.start; epoch < this.o.epochs && !this.finished; epoch++) {
        const record = this.trainEpoch(epoch);
        this.outOfTime = this.options.maxSeconds !== undefined && (performance.now() - this.startedAt) / 1000 >= this.options.maxSeconds;
        const last = epoch === this.o.epochs - 1 || this.outOfTime;
        if (this.evaluates && ((epoch + 1) % this.o.evalEvery === 0 || last)) await this.evaluate(epoch, record);
        this.log.push(record);
        if (this.options.logPath) await writeLog(this.options.logPath, this.log);
        overall.tick();
        this.logLine(epoch, record);
        this.finished = this.selection.stoppedEarly || last;
        const saved = (epoch + 1) % this.o.checkpointEvery === 0 || this.finished || this.aborted();
        if (this.options.checkpointDir && saved) await this.saveCheckpoint(epoch + 1);
        const verdict = await this.options.onEpochEnd?.(record);
        if (this.aborted() || verdict === false) {
          // an abort from inside onEpochEnd still leaves a checkpoint of this epoch
          if (this.options.checkpointDir && !saved) await this.saveCheckpoint(epoch + 1);
          this.interrupted = !this.finished;
          break;
        }
      }
    } finally {
      overall.end();
    }
    if (this.selection.stoppedEarly) {
      // patience can run out on the very last epoch: that run was not cut short
      const why = `${this.o.patience} evaluations without a better valid ${this.o.metric}`;
      const how = this.log.length < this.o.epochs ? `stopped early at epoch ${this.log.length} (${why})` : `ran all ${this.o.epochs} epochs (the last ${why})`;
      this.o.progress.log?.(`${this.name}: ${how}, kept ${this.keptLabel()}`);
    }
  }

  private aborted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  private trainEpoch(epoch: number): EpochRecord {
    const { model, sampler } = this.task;
    const t0 = performance.now();
    const task = this.o.progress.start(`${this.name} epoch ${epoch + 1}/${this.o.epochs}`, sampler.size(), sampler.unit ?? 'samples');
    const info: StepInfo = { epoch, step: this.optimizer.step, rng: this.root.fork(`train:${epoch}`) };
    let lossSum = 0;
    let samples = 0;
    let steps = 0;
    let normSum = 0;
    for (const { batch, size } of sampler.batches(this.root.fork(`sample:${epoch}`), this.o.batchSize)) {
      const before = this.optimizer.step;
      info.step = before;
      const value = this.step(batch, info);
      checkLoss(this.name, value, before, epoch, this.lastFinite, this.optimizer.lr);
      this.lastFinite = value;
      lossSum += value * size;
      samples += size;
      steps++;
      normSum += this.optimizer.lastGradNorm;
      task.tick(size);
      task.set({ loss: Number((lossSum / samples).toFixed(5)) });
    }
    task.end();
    if (steps === 0) throw zeroSteps(this.name, sampler, this.o.batchSize, epoch);
    const seconds = (performance.now() - t0) / 1000;
    const record: EpochRecord = { epoch: epoch + 1, loss: lossSum / samples, samples, steps, seconds, samplesPerSecond: samples / Math.max(seconds, 1e-9) };
    if (this.optimizer.trackGradNorm || this.optimizer.clipNorm) record.gradNorm = normSum / steps;
    const extra = model.describe?.();
    if (extra) record.extra = extra;
    return record;
  }

  /** One optimiser step; the loss. On the host when the model has a host step (no tape, no tfjs ops). */
  private step(batch: B, info: StepInfo): number {
    const host = this.task.model.hostStep?.(batch, info);
    if (host) {
      this.optimizer.applyHost(host.params, host.grads);
      return host.loss;
    }
    return tf.tidy(() => {
      const { value: loss, grads } = tf.variableGrads(() => this.task.model.loss(batch, info), this.variables);
      this.optimizer.apply(this.variables.map((v) => grads[v.name]));
      return (loss.dataSync() as Float32Array)[0];
    });
  }

  private async evaluateInitial(): Promise<void> {
    const metrics = await this.task.validate!({ epoch: -1 });
    this.selection.offer(-1, metrics, () => toHost(this.task.model.state()));
    this.o.progress.log?.(`${this.name} initial weights: valid ${this.o.metric} ${metrics[this.o.metric]?.toFixed(4)}`);
  }

  private async evaluate(epoch: number, record: EpochRecord): Promise<void> {
    const e0 = performance.now();
    const metrics = await this.task.validate!({ epoch });
    record.evalSeconds = (performance.now() - e0) / 1000;
    record.valid = metrics;
    if (this.selection.offer(epoch, metrics, () => toHost(this.task.model.state()))) record.best = true;
  }

  private logLine(epoch: number, record: EpochRecord): void {
    const remaining = this.o.epochs - epoch - 1;
    const valid = record.valid?.[this.o.metric];
    this.o.progress.log?.(
      `${this.name} epoch ${epoch + 1}: loss ${record.loss.toFixed(5)}, ${Math.round(record.samplesPerSecond)} ${this.task.sampler.unit ?? 'samples'}/s, ${record.seconds.toFixed(2)} s` +
        (valid !== undefined ? `, valid ${this.o.metric} ${valid.toFixed(4)}` : '') +
        (remaining > 0 && !this.selection.stoppedEarly ? `, ETA <= ${Math.round(remaining * (record.seconds + (record.evalSeconds ?? 0)))} s` : ''),
    );
  }

  private keptLabel(): string {
    const s = this.selection;
    return s.hasBest && s.bestEpoch < 0 ? 'the initial weights' : `epoch ${s.bestEpoch + 1}`;
  }

  /** Restores the latest checkpoint when there is one; true when it did. */
  private async resume(): Promise<boolean> {
    const dir = this.options.checkpointDir;
    if (!dir || !(this.options.resume ?? true)) return false;
    const ckpt = await readLatestCheckpoint(dir);
    if (!ckpt) return false;
    const { trainer } = ckpt;
    if (trainer.model !== this.name || trainer.seed !== this.o.seed) {
      throw new LmrecError('E_CHECKPOINT', `checkpoint is for model "${trainer.model}" seed ${trainer.seed}, not "${this.name}" seed ${this.o.seed}`, {
        file: dir,
        hint: 'use another checkpointDir or resume: false',
      });
    }
    if ((trainer.key ?? undefined) !== this.options.checkpointKey) {
      throw new LmrecError('E_CHECKPOINT', `checkpoint in ${dir} was written by a run with key ${JSON.stringify(trainer.key)}, this run's key is ${JSON.stringify(this.options.checkpointKey)}`, {
        file: dir,
        hint: 'the configuration changed: use another checkpointDir or resume: false',
      });
    }
    withHostTensors(ckpt.weights, (t) => this.task.model.loadState(t));
    withHostTensors(ckpt.optimizer, (t) => this.optimizer.loadState(trainer.step, t));
    restoreStreams(this.task.model.randomStreams?.(), trainer.streams, dir);
    if (trainer.sampler !== undefined) this.task.sampler.restore?.(trainer.sampler);
    this.start = trainer.epoch;
    this.selection.restore(trainer, ckpt.best);
    this.finished = trainer.finished;
    this.log.push(...trainer.log);
    this.lastFinite = trainer.log[trainer.log.length - 1]?.loss;
    this.o.progress.log?.(`resumed ${this.name} from ${dir} after epoch ${this.start}`);
    return true;
  }

  private async saveCheckpoint(epochDone: number): Promise<void> {
    const state: TrainerState = {
      format: 'lmrec-trainer-checkpoint',
      version: 1,
      model: this.name,
      seed: this.o.seed,
      key: this.options.checkpointKey,
      epoch: epochDone,
      step: this.optimizer.step,
      rng: { seed: this.o.seed, streams: ['init', 'sample:<epoch>', 'train:<epoch>'] },
      ...this.selection.toState(),
      finished: this.finished,
      log: this.log,
      streams: captureStreams(this.task.model.randomStreams?.()),
      sampler: this.task.sampler.state?.(),
    };
    await writeCheckpoint(this.options.checkpointDir!, {
      trainer: state,
      weights: toHost(this.task.model.state()),
      optimizer: toHost(this.optimizer.state().tensors),
      best: this.selection.best,
    });
  }

  private result(): TrainResult {
    const s = this.selection;
    return {
      epochs: this.log.length,
      bestEpoch: s.hasBest ? s.bestEpoch : this.log.length - 1,
      bestMetrics: s.bestMetrics,
      initialMetrics: s.initialMetrics,
      stoppedEarly: s.stoppedEarly,
      interrupted: this.interrupted,
      stopReason: this.interrupted ? 'interrupted' : s.stoppedEarly ? 'patience' : this.outOfTime ? 'time' : 'epochs',
      log: this.log,
    };
  }
}
