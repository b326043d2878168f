import { gatherDiff, tf, type CfSplit, type Rng } from '@lmrec/core';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler } from '../trainer/types.js';
import { normalVariable } from '../nn/init.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { transposeRows } from '../nn/transpose.js';
import { bprLoss, rowDot } from './bpr.js';

export interface MfBprConfig extends TrainConfig {
  /** Embedding size. Default 64. */
  dim?: number;
  /** L2 on the batch's embeddings. Default 1e-4. */
  reg?: number;
  /** Init N(0, initStd^2). Default 0.1 (LightGCN reference MF). */
  initStd?: number;
  /** Negatives per positive (BPR uses 1; more averages the pairwise loss). Default 1. */
  negatives?: number;
}

/**
 * Matrix factorisation with the BPR loss (Rendle et al. 2009): score = u . i,
 * one uniform negative outside the user's train items per (user, positive).
 */
export class MfBpr extends TrainedRecommender<InteractionBatch, MfBprConfig> {
  readonly name = 'mf';
  private users: tf.Variable | undefined;
  private items: tf.Variable | undefined;

  constructor(config: MfBprConfig = {}) {
    super(config, fitDefaults({ epochs: 200, batchSize: 2048, lr: 1e-3, evalEvery: 5, patience: 10 }));
  }

  get dim(): number {
    return this.config.dim ?? 64;
  }

  protected build(rng: Rng): void {
    const std = this.config.initStd ?? 0.1;
    this.users = normalVariable(rng.fork('users'), [this.nUsers, this.dim], std);
    this.items = normalVariable(rng.fork('items'), [this.nItems, this.dim], std);
  }

  trainableVariables(): tf.Variable[] {
    return [this.users!, this.items!];
  }

  state(): Record<string, tf.Tensor> {
    return { 'user.embedding': this.users!, 'item.embedding': this.items! };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: this.config.negatives ?? 1 });
  }

  loss(batch: InteractionBatch, _ctx?: unknown): tf.Scalar {
    const u = gatherDiff(this.users as tf.Tensor2D, batch.users);
    const p = gatherDiff(this.items as tf.Tensor2D, batch.pos);
    const n = gatherDiff(this.items as tf.Tensor2D, batch.neg);
    const k = batch.negatives;
    const sPos = rowDot(u, p);
    const sNeg = tf.sum(tf.mul(u.expandDims(1), n.reshape([batch.users.length, k, this.dim])), 2);
    return bprLoss(sPos.expandDims(1), sNeg, this.config.reg ?? 1e-4, [u, p, n], batch.users.length);
  }

  scorer(): EvalScorer {
    const users = this.users!.dataSync() as Float32Array;
    const items = this.items!.dataSync() as Float32Array;
    return factorScorer(this.nItems, this.dim, users.slice(), transposeRows(items, this.nItems, this.dim));
  }

  dispose(): void {
    this.users?.dispose();
    this.items?.dispose();
    this.users = this.items = undefined;
  }
}
