import { Csr, LmrecError, readTidy, Rng, tf, type CfSplit, type FitOptions, type Recommender } from '@lmrec/core';
import { fromHost, toHost, type HostState } from '../trainer/checkpoint.js';
import { readModelFiles, writeModelFiles } from '../trainer/model-files.js';
import { transposeRows } from '../nn/transpose.js';
import { Trainer, type TrainerOptions } from '../trainer/trainer.js';
import type { EvalScorer, OptimizerConfig, Sampler, StepContext, TrainableModel, TrainResult } from '../trainer/types.js';

/** Training settings every trained model accepts (in its constructor config or in fit options). */
export interface TrainConfig {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  optimizer?: OptimizerConfig['name'];
  weightDecay?: number;
  clipNorm?: number;
  evalEvery?: number;
  patience?: number;
  metric?: string;
}

/** fit() options: TrainConfig + Trainer options (checkpointDir, logPath, signal, evaluator, ...). */
export type RecsysFitOptions = FitOptions & TrainConfig & Omit<TrainerOptions, 'optimizer' | 'seed' | 'progress'>;

/**
 * Shared plumbing of the trained recommenders: fit through the Trainer,
 * cached scorer, save/load (weights.safetensors + config.json; the train CSR
 * is stored too because scoring reads the user's train items or the graph).
 */
export abstract class TrainedRecommender<B, C extends TrainConfig> implements Recommender, TrainableModel<B> {
  abstract readonly name: string;
  readonly config: C;
  nUsers = 0;
  nItems = 0;
  protected train: Csr | undefined;
  private cached: EvalScorer | undefined;
  /** Result of the last fit. */
  lastFit: TrainResult | undefined;

  constructor(config: C, protected readonly defaults: Required<TrainConfig>) {
    this.config = { ...config };
  }

  /** Create variables for nUsers x nItems from `rng`. */
  protected abstract build(rng: Rng): void;
  abstract trainableVariables(): tf.Variable[];
  abstract loss(batch: B, ctx: StepContext): tf.Scalar;
  abstract sampler(split: CfSplit): Sampler<B>;
  abstract scorer(split?: CfSplit): EvalScorer;
  abstract state(): Record<string, tf.Tensor>;
  abstract dispose(): void;

  init(split: CfSplit, rng: Rng): void {
    this.disposeWeights();
    this.nUsers = split.nUsers;
    this.nItems = split.nItems;
    this.train = split.train;
    this.build(rng);
  }

  loadState(state: Record<string, tf.Tensor>): void {
    const own = this.state();
    for (const [name, target] of Object.entries(own)) {
      const value = state[name];
      if (!value || value.shape.join() !== target.shape.join()) {
        throw new LmrecError('E_STATE', `${this.name}: state "${name}" is missing or has shape [${value?.shape ?? ''}], expected [${target.shape}]`);
      }
      (target as tf.Variable).assign(value);
    }
    this.invalidate();
  }

  async fit(data: CfSplit, options: RecsysFitOptions = {}): Promise<TrainResult> {
    const d = this.defaults;
    const pick = <K extends keyof TrainConfig>(k: K): Required<TrainConfig>[K] =>
      (options[k] ?? (this.config as TrainConfig)[k] ?? d[k]) as Required<TrainConfig>[K];
    const trainer = new Trainer({
      ...options,
      epochs: pick('epochs'),
      batchSize: pick('batchSize'),
      evalEvery: pick('evalEvery'),
      patience: pick('patience'),
      metric: pick('metric'),
      seed: options.seed ?? 2024,
      progress: options.progress,
      optimizer: { name: pick('optimizer'), lr: pick('lr'), weightDecay: pick('weightDecay'), clipNorm: options.clipNorm ?? this.config.clipNorm },
    });
    this.invalidate();
    this.lastFit = await trainer.fit(this, data);
    this.invalidate();
    return this.lastFit;
  }

  protected requireTrain(): Csr {
    if (!this.train) throw new LmrecError('E_STATE', `${this.name} is not fitted or loaded`, { hint: 'call fit() or load() first' });
    return this.train;
  }

  protected evalScorer(): EvalScorer {
    this.requireTrain();
    this.cached ??= this.scorer();
    return this.cached;
  }

  protected invalidate(): void {
    this.cached?.dispose?.();
    this.cached = undefined;
  }

  scoreBlock(users: Int32Array): Float32Array | Promise<Float32Array> {
    return this.evalScorer().scoreBlock(users);
  }

  factors(): { dim: number; users: Float32Array; itemsT: Float32Array } | undefined {
    return this.evalScorer().factors?.();
  }

  async save(dir: string): Promise<void> {
    const train = this.requireTrain();
    const tensors: HostState = toHost(this.state());
    tensors['data.train.indptr'] = { dtype: 'I32', shape: [train.indptr.length], data: train.indptr };
    tensors['data.train.indices'] = { dtype: 'I32', shape: [train.indices.length], data: train.indices };
    Object.assign(tensors, this.extras());
    await writeModelFiles(dir, { model: this.name, nUsers: this.nUsers, nItems: this.nItems, config: this.config }, tensors);
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors, weightsFile } = await readModelFiles<{ model: string; nUsers: number; nItems: number; config: C }>(dir, this.name);
    Object.assign(this.config as object, meta.config);
    this.disposeWeights();
    this.nUsers = meta.nUsers;
    this.nItems = meta.nItems;
    const indptr = tensors['data.train.indptr']?.data as Int32Array | undefined;
    const indices = tensors['data.train.indices']?.data as Int32Array | undefined;
    if (!indptr || !indices) throw new LmrecError('E_STATE', 'weights.safetensors has no data.train.* tensors', { file: weightsFile });
    this.train = new Csr(meta.nUsers, meta.nItems, indptr, indices);
    this.loadExtras(tensors);
    this.build(new Rng(0));
    const weights: HostState = {};
    for (const [k, v] of Object.entries(tensors)) if (!k.startsWith('data.')) weights[k] = v;
    const t = fromHost(weights);
    try {
      this.loadState(t);
    } finally {
      for (const x of Object.values(t)) x.dispose();
    }
  }

  /** Data besides weights that scoring needs after load (keys start with "data."). */
  protected extras(): HostState {
    return {};
  }

  protected loadExtras(_tensors: HostState): void {}

  /** Free variables before a rebuild. */
  protected disposeWeights(): void {
    this.invalidate();
    if (this.nItems > 0) this.dispose();
  }
}

/** A dot-product scorer on [nUsers, d] user vectors and [d, nItems] item vectors. */
export function factorScorer(nItems: number, dim: number, users: Float32Array, itemsT: Float32Array): EvalScorer {
  let itemsTensor: tf.Tensor2D | undefined;
  return {
    nItems,
    factors: () => ({ dim, users, itemsT }),
    scoreBlock(ids: Int32Array): Float32Array {
      itemsTensor ??= tf.tensor2d(itemsT, [dim, nItems]);
      const block = new Float32Array(ids.length * dim);
      ids.forEach((u, r) => block.set(users.subarray(u * dim, (u + 1) * dim), r * dim));
      return readTidy(() => tf.matMul(tf.tensor2d(block, [ids.length, dim]), itemsTensor!));
    },
    dispose() {
      itemsTensor?.dispose();
      itemsTensor = undefined;
    },
  };
}

/** [n, d] row-major -> [d, n] row-major. Kept for compatibility: use `transposeRows` (nn/transpose). */
export const transposeHost = (x: Float32Array, n: number, d: number): Float32Array => transposeRows(x, n, d);

export function fitDefaults(over: Partial<TrainConfig>): Required<TrainConfig> {
  return { epochs: 100, batchSize: 2048, lr: 1e-3, optimizer: 'adam', weightDecay: 0, clipNorm: 0, evalEvery: 5, patience: 10, metric: 'recall@20', ...over };
}
