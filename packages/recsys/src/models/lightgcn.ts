import { gatherDiff, normalizedAdjacency, tf, type CfSplit, type Csr, type Rng } from '@lmrec/core';
import { propagate, propagateTensor } from '../nn/graph.js';
import { transposeRows } from '../nn/transpose.js';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler } from '../trainer/types.js';
import { normalVariable } from '../nn/init.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { bprLoss, rowDot } from './bpr.js';

export interface LightGcnConfig extends TrainConfig {
  /** Default 64. */
  dim?: number;
  /** Propagation layers. Default 3. */
  layers?: number;
  /** L2 on the batch's ego (layer-0) embeddings. Default 1e-4. */
  reg?: number;
  /** Init N(0, initStd^2). Default 0.1 (reference code). */
  initStd?: number;
}

/**
 * LightGCN (He et al. 2020): E^{k+1} = A_hat E^k on the user-item graph with
 * A_hat = D^-1/2 A D^-1/2, final embedding = mean of layers 0..K, BPR loss
 * with L2 on the batch's layer-0 embeddings. Propagation is recomputed every
 * step through core's differentiable spmmOp.
 */
export class LightGcn extends TrainedRecommender<InteractionBatch, LightGcnConfig> {
  readonly name = 'lightgcn';
  private ego: tf.Variable | undefined;
  private adj: Csr | undefined;

  constructor(config: LightGcnConfig = {}) {
    super(config, fitDefaults({ epochs: 1000, batchSize: 2048, lr: 1e-3, evalEvery: 5, patience: 10 }));
  }

  get dim(): number {
    return this.config.dim ?? 64;
  }

  get layers(): number {
    return this.config.layers ?? 3;
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

  /** Layer mean of the propagated embeddings, differentiable. */
  propagate(): tf.Tensor2D {
    return propagateTensor(this.adj!, this.ego as tf.Tensor2D, this.layers);
  }

  loss(batch: InteractionBatch): tf.Scalar {
    const all = this.propagate();
    const nU = this.nUsers;
    const shift = (ids: Int32Array) => ids.map((j) => j + nU);
    const u = gatherDiff(all, batch.users);
    const p = gatherDiff(all, shift(batch.pos));
    const n = gatherDiff(all, shift(batch.neg));
    const ego = this.ego as tf.Tensor2D;
    const egos = [gatherDiff(ego, batch.users), gatherDiff(ego, shift(batch.pos)), gatherDiff(ego, shift(batch.neg))];
    const k = batch.negatives;
    const sNeg = tf.sum(tf.mul(u.expandDims(1), n.reshape([batch.users.length, k, this.dim])), 2);
    return bprLoss(rowDot(u, p).expandDims(1), sNeg, this.config.reg ?? 1e-4, egos, batch.users.length);
  }

  /** Final embeddings on typed arrays (no tape): [nUsers + nItems, dim]. */
  finalEmbeddings(): Float32Array {
    return propagate(this.adj!, Float32Array.from(this.ego!.dataSync() as Float32Array), this.dim, this.layers);
  }

  scorer(): EvalScorer {
    const all = this.finalEmbeddings();
    const d = this.dim;
    const users = all.slice(0, this.nUsers * d);
    const items = all.subarray(this.nUsers * d);
    return factorScorer(this.nItems, d, users, transposeRows(items, this.nItems, d));
  }

  dispose(): void {
    this.ego?.dispose();
    this.ego = undefined;
  }
}
