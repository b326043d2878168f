import { gatherDiff, LmrecError, normalizedAdjacency, tf, type CfSplit, type Csr, type Rng } from '@lmrec/core';
import { infoNce, l2Rows, uniqueIds } from '../nn/contrastive.js';
import { propagate, propagateLayersTensor } from '../nn/graph.js';
import { normalVariable } from '../nn/init.js';
import { transposeRows } from '../nn/transpose.js';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler, StepContext } from '../trainer/types.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { bprLoss, rowDot } from './bpr.js';

export interface XSimGclConfig extends TrainConfig {
  /** Default 64. */
  dim?: number;
  /** Propagation layers L. Default 2 (the paper's setting). */
  layers?: number;
  /** The layer l* (1..L) whose output is contrasted with the final embedding. Default 1. */
  clLayer?: number;
  /** Noise magnitude epsilon. Default 0.2. */
  eps?: number;
  /** InfoNCE temperature. Default 0.2. */
  tau?: number;
  /** Weight lambda of the contrastive loss. Default 0.2. */
  sslWeight?: number;
  /** L2 on the batch's layer-0 embeddings. Default 1e-4. */
  reg?: number;
  /** Init N(0, initStd^2). Default 0.1. */
  initStd?: number;
}

/**
 * XSimGCL (Yu et al., TKDE 2024): one LightGCN forward pass whose every
 * propagated layer gets uniform noise, E_k <- E_k + eps * sign(E_k) *
 * normalize(U(0,1)); the final embedding is the mean of layers 1..L (layer 0
 * excluded, as in the authors' code), BPR is taken on it and InfoNCE
 * contrasts it with layer l* for the batch's distinct users and positive
 * items. Noise only in training; scoring propagates without noise. Noise
 * comes from the epoch's seeded stream.
 */
export class XSimGcl extends TrainedRecommender<InteractionBatch, XSimGclConfig> {
  readonly name = 'xsimgcl';
  private ego: tf.Variable | undefined;
  private adj: Csr | undefined;

  constructor(config: XSimGclConfig = {}) {
    super(config, fitDefaults({ epochs: 1000, batchSize: 2048, lr: 1e-3, evalEvery: 5, patience: 10 }));
    const { layers = 2, clLayer = 1 } = config;
    if (clLayer < 1 || clLayer > layers) throw new LmrecError('E_CONFIG', `xsimgcl: clLayer ${clLayer} is not a layer of 1..${layers}`, { field: 'clLayer' });
  }

  get dim(): number {
    return this.config.dim ?? 64;
  }

  get layers(): number {
    return this.config.layers ?? 2;
  }

  protected build(rng: Rng): void {
    this.adj = normalizedAdjacency(this.requireTrain());
    this.ego = normalVariable(rng.fork('ego'), [this.nUsers + this.nItems, this.dim], this.config.initStd ?? 0.1);
  }

  trainableVariables(): tf.Variable[] {
    return [this.ego!];
  }

  state(): Record<string, tf.Tensor> {
    return { 'ego.embedding': this.ego! };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: 1 });
  }

  /** The perturbed forward pass: [final (mean of layers 1..L), layer l*]. */
  perturbedForward(rng: Rng): [tf.Tensor2D, tf.Tensor2D] {
    const eps = this.config.eps ?? 0.2;
    const shape = [this.nUsers + this.nItems, this.dim];
    const noise = (layer: tf.Tensor2D) => {
      const u = new Float32Array(shape[0] * shape[1]);
      for (let i = 0; i < u.length; i++) u[i] = rng.float();
      return tf.add(layer, tf.mul(tf.sign(layer), tf.mul(l2Rows(tf.tensor2d(u, shape as [number, number])), eps))) as tf.Tensor2D;
    };
    const all = propagateLayersTensor(this.adj!, this.ego as tf.Tensor2D, this.layers, eps > 0 ? noise : undefined);
    const final = tf.div(tf.addN(all.slice(1)), this.layers) as tf.Tensor2D;
    return [final, all[this.config.clLayer ?? 1]];
  }

  loss(batch: InteractionBatch, ctx: StepContext): tf.Scalar {
    const [final, cl] = this.perturbedForward(ctx.rng);
    const nU = this.nUsers;
    const shift = (ids: Int32Array) => ids.map((j) => j + nU);
    const u = gatherDiff(final, batch.users);
    const p = gatherDiff(final, shift(batch.pos));
    const n = gatherDiff(final, shift(batch.neg));
    const ego = this.ego as tf.Tensor2D;
    const egos = [gatherDiff(ego, batch.users), gatherDiff(ego, shift(batch.pos)), gatherDiff(ego, shift(batch.neg))];
    const bpr = bprLoss(rowDot(u, p).expandDims(1), rowDot(u, n).expandDims(1), this.config.reg ?? 1e-4, egos, batch.users.length);
    const weight = this.config.sslWeight ?? 0.2;
    if (weight === 0) return bpr;
    const tau = this.config.tau ?? 0.2;
    const users = uniqueIds(batch.users);
    const items = uniqueIds(batch.pos, nU);
    const ssl = tf.add(infoNce(gatherDiff(final, users), gatherDiff(cl, users), tau), infoNce(gatherDiff(final, items), gatherDiff(cl, items), tau));
    return tf.add(bpr, tf.mul(ssl, weight)) as tf.Scalar;
  }

  /** Noise-free final embeddings on typed arrays: mean of layers 1..L, [nUsers + nItems, dim]. */
  finalEmbeddings(): Float32Array {
    const layers: Float32Array[] = [];
    propagate(this.adj!, Float32Array.from(this.ego!.dataSync() as Float32Array), this.dim, this.layers, layers);
    const out = new Float32Array(layers[0].length);
    for (const layer of layers.slice(1)) for (let i = 0; i < out.length; i++) out[i] += layer[i] / this.layers;
    return out;
  }

  scorer(): EvalScorer {
    const all = this.finalEmbeddings();
    const d = this.dim;
    return factorScorer(this.nItems, d, all.slice(0, this.nUsers * d), transposeRows(all.subarray(this.nUsers * d), this.nItems, d));
  }

  dispose(): void {
    this.ego?.dispose();
    this.ego = undefined;
  }
}
