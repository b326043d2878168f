import { Csr, gatherDiff, LmrecError, readTidy, Rng, tf, type CfSplit, type GatingRecommender } from '@lmrec/core';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler } from '../trainer/types.js';
import { normalValues, normalVariable } from '../nn/init.js';
import { matMul, pooledRows } from '../nn/ops.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { checkHistory, lastN } from './history.js';

export interface FismNetOptions {
  nItems: number;
  /** Default 64. */
  dim?: number;
  /** Embedding init N(0, initStd^2). Default 0.01. */
  initStd?: number;
  /** Histories are cut to their last maxHistory items. Default 128. */
  maxHistory?: number;
  /** Seed for the initial weights (when no rng is passed). Default 2024. */
  seed?: number;
  /**
   * The official RTA code's PAD row (default false): it pads every history
   * to maxHistory with a PAD item whose embedding keeps its N(0, initStd^2)
   * initial value (`padding_idx` blocks its gradient) and is summed with the
   * history, so u = (e_cls + sum_h e_h + (maxHistory - n) e_pad) / sqrt(n + 1).
   */
  padRow?: boolean;
  /**
   * A learned per-item bias b_j on the logits (default true). The official
   * RTA code's FISM has it only with `--recsys_with_bias True` (its
   * train.py default is False; its scripts pass True).
   */
  itemBias?: boolean;
}

/**
 * FISM as RTA's gate uses it: 64-d item embeddings, user vector = (e_cls +
 * sum of history embeddings) / sqrt(n) where n counts the learned [CLS] item,
 * logits = u . e_j + b_j over all items. Differentiable; a GatingRecommender.
 */
export class FismNet implements GatingRecommender {
  readonly name = 'fism';
  readonly nItems: number;
  readonly dim: number;
  readonly maxHistory: number;
  /** [nItems + 1, dim], row nItems is [CLS]. */
  private emb: tf.Variable;
  /** undefined without itemBias. */
  private bias?: tf.Variable;
  /** [1, dim], the frozen PAD embedding (padRow only). */
  private pad?: tf.Variable;

  constructor(options: FismNetOptions, rng?: Rng) {
    this.nItems = options.nItems;
    this.dim = options.dim ?? 64;
    this.maxHistory = options.maxHistory ?? 128;
    const r = rng ?? new Rng(options.seed ?? 2024);
    this.emb = normalVariable(r.fork('item'), [this.nItems + 1, this.dim], options.initStd ?? 0.01);
    if (options.itemBias ?? true) this.bias = tf.tidy(() => tf.variable(tf.zeros([this.nItems])));
    if (options.padRow) this.pad = tf.tidy(() => tf.variable(tf.tensor(normalValues(r.fork('pad'), this.dim, options.initStd ?? 0.01), [1, this.dim]), false));
  }

  /** Pooling matrix [histories, nItems + 1] with weight 1/sqrt(n) on each history item and [CLS]. */
  private pooling(histories: readonly ArrayLike<number>[]): Csr {
    const indptr = new Int32Array(histories.length + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    histories.forEach((h, r) => {
      checkHistory(h, this.nItems);
      const items = lastN(h, this.maxHistory);
      const w = 1 / Math.sqrt(items.length + 1);
      for (const j of items) {
        cols.push(j);
        vals.push(w);
      }
      cols.push(this.nItems);
      vals.push(w);
      indptr[r + 1] = cols.length;
    });
    return new Csr(histories.length, this.nItems + 1, indptr, Int32Array.from(cols), Float32Array.from(vals));
  }

  /** [B, dim] user vectors. */
  userVectors(histories: readonly ArrayLike<number>[]): tf.Tensor2D {
    const pooled = pooledRows(this.emb as tf.Tensor2D, this.pooling(histories));
    if (!this.pad) return pooled;
    // each history's PAD positions, weighted like its items: (maxHistory - n) / sqrt(n + 1)
    const weights = Float32Array.from(histories, (h) => {
      const n = Math.min(h.length, this.maxHistory);
      return (this.maxHistory - n) / Math.sqrt(n + 1);
    });
    return tf.tidy(() => tf.add(pooled, tf.matMul(tf.tensor2d(weights, [histories.length, 1]), this.pad!)) as tf.Tensor2D);
  }

  /** Item side laid out [dim, nItems] so scoring is a plain (fast) matMul on wasm. */
  itemsT(): tf.Tensor2D {
    return tf.tidy(() => tf.transpose(this.emb.slice([0, 0], [this.nItems, this.dim])) as tf.Tensor2D);
  }

  logits(histories: readonly Int32Array[], _training = false): tf.Tensor2D {
    return tf.tidy(() => this.withBias(matMul(this.userVectors(histories), this.itemsT()) as tf.Tensor2D, this.bias));
  }

  /** logits of the `items` columns: their embedding rows are gathered first, so the product is [B, dim] x [dim, k]. */
  columnLogits(histories: readonly Int32Array[], items: Int32Array, _training = false): tf.Tensor2D {
    for (const j of items) if (!(j >= 0 && j < this.nItems)) throw new LmrecError('E_RANGE', `fism: item column ${j} is outside [0, ${this.nItems})`);
    return tf.tidy(() => {
      const rows = gatherDiff(this.emb as tf.Tensor2D, items);
      return this.withBias(matMul(this.userVectors(histories), tf.transpose(rows)) as tf.Tensor2D, this.bias && gatherDiff(this.bias as tf.Tensor1D, items));
    });
  }

  private withBias(logits: tf.Tensor2D, bias: tf.Tensor | undefined): tf.Tensor2D {
    return bias ? (tf.add(logits, bias) as tf.Tensor2D) : logits;
  }

  trainableVariables(): tf.Variable[] {
    return this.bias ? [this.emb, this.bias] : [this.emb];
  }

  state(): Record<string, tf.Tensor> {
    return { 'item.embedding': this.emb, ...(this.bias ? { 'item.bias': this.bias } : {}), ...(this.pad ? { 'item.pad': this.pad } : {}) };
  }

  loadState(state: Record<string, tf.Tensor>): void {
    assignState(this.state(), state, this.name);
  }

  dispose(): void {
    this.emb.dispose();
    this.bias?.dispose();
    this.pad?.dispose();
  }
}

export function assignState(own: Record<string, tf.Tensor>, state: Record<string, tf.Tensor>, model: string): void {
  for (const [name, target] of Object.entries(own)) {
    const value = state[name];
    if (!value || value.shape.join() !== target.shape.join()) {
      throw new LmrecError('E_STATE', `${model}: state "${name}" is missing or has shape [${value?.shape ?? ''}], expected [${target.shape}]`);
    }
    (target as tf.Variable).assign(value);
  }
}

export interface FismConfig extends TrainConfig, Omit<FismNetOptions, 'nItems' | 'seed'> {}

/**
 * FISM as a collaborative recommender: trained on user histories (train
 * items); each sample (user, positive) scores the positive from the user's
 * other train items with a full softmax over the catalogue (the objective the
 * RTA gate trains it with). Serves conversations through scoreHistories.
 */
export class Fism extends TrainedRecommender<InteractionBatch, FismConfig> {
  readonly name = 'fism';
  net: FismNet | undefined;

  constructor(config: FismConfig = {}) {
    super(config, fitDefaults({ epochs: 100, batchSize: 256, lr: 1e-3, evalEvery: 5, patience: 10 }));
  }

  protected build(rng: Rng): void {
    const { dim, initStd, maxHistory, padRow, itemBias } = this.config;
    this.net = new FismNet({ nItems: this.nItems, dim, initStd, maxHistory, padRow, itemBias }, rng);
  }

  trainableVariables(): tf.Variable[] {
    return this.net!.trainableVariables();
  }

  state(): Record<string, tf.Tensor> {
    return this.net!.state();
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: 0 });
  }

  loss(batch: InteractionBatch): tf.Scalar {
    const train = this.requireTrain();
    const histories = Array.from(batch.users, (u, r) => train.row(u).filter((j) => j !== batch.pos[r]));
    const logits = this.net!.logits(histories, true);
    return softmaxCrossEntropy(logits, batch.pos);
  }

  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    if (!this.net) throw new LmrecError('E_STATE', 'fism is not fitted or loaded');
    return readTidy(() => this.net!.logits(histories, false));
  }

  /** Factorised as [u, 1] . [E^T; b] so evaluation can use the fused score + top-K kernel. */
  scorer(): EvalScorer {
    const train = this.requireTrain();
    const net = this.net!;
    return historyFactorScorer(this.nUsers, this.nItems, net.dim, (ids) => net.userVectors(Array.from(ids, (u) => train.row(u))), net.itemsT(), net.state()['item.bias']);
  }

  dispose(): void {
    this.net?.dispose();
    this.net = undefined;
  }
}

/** Mean softmax cross-entropy of integer targets over [B, nItems] logits. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: Int32Array): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  const onehot = tf.oneHot(tf.tensor1d(targets, 'int32'), logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(logp, onehot), 1))) as tf.Scalar;
}

/**
 * Precomputes [userVector, 1] for every user and [itemsT; bias] so scores
 * factor for the fused evaluator. `itemsT` is consumed (disposed).
 */
export function historyFactorScorer(
  nUsers: number,
  nItems: number,
  dim: number,
  userVectors: (ids: Int32Array) => tf.Tensor2D,
  itemsT: tf.Tensor2D,
  bias: tf.Tensor | undefined,
): EvalScorer {
  const users = new Float32Array(nUsers * (dim + 1));
  const block = 256;
  for (let s = 0; s < nUsers; s += block) {
    const ids = Int32Array.from({ length: Math.min(block, nUsers - s) }, (_, i) => s + i);
    const v = readTidy(() => userVectors(ids));
    for (let r = 0; r < ids.length; r++) {
      users.set(v.subarray(r * dim, (r + 1) * dim), (s + r) * (dim + 1));
      users[(s + r) * (dim + 1) + dim] = 1;
    }
  }
  const items = new Float32Array((dim + 1) * nItems);
  items.set(itemsT.dataSync() as Float32Array, 0);
  if (bias) items.set(bias.dataSync() as Float32Array, dim * nItems);
  itemsT.dispose();
  return factorScorer(nItems, dim + 1, users, items);
}
