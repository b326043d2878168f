import { gatherDiff, tf, type CfSplit, type Rng } from '@lmrec/core';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, HostStep, Sampler } from '../trainer/types.js';
import { tableInit, type TableInit } from '../nn/init.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { transposeRows } from '../nn/transpose.js';
import { bprLoss, rowDot } from './bpr.js';
import { bprFused, hostLoss, type BprTables } from './bpr-kernel.js';
import { hostValues } from '../trainer/host-values.js';

export interface MfBprConfig extends TrainConfig {
  /** Embedding size. Default 64. */
  dim?: number;
  /** L2 on the batch's embeddings. Default 1e-4. */
  reg?: number;
  /** Init N(0, initStd^2) when `init` is 'normal'. Default 0.1 (LightGCN reference MF). */
  initStd?: number;
  /** 'normal' N(0, initStd^2) (default) or 'xavier': torch's xavier_normal_ per table, std sqrt(2 / (rows + dim)) (AlphaRec's code). */
  init?: TableInit;
  /** Skip the last incomplete batch of an epoch, as the official code's DataLoader(drop_last=True). Default false. */
  dropLast?: boolean;
  /** 'fused' (default): loss and gradient in one pass on plain arrays; 'tape': the same loss as taped tfjs ops. */
  kernel?: 'fused' | 'tape';
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
  private grad: BprTables | undefined;

  constructor(config: MfBprConfig = {}) {
    super(config, fitDefaults({ epochs: 200, batchSize: 2048, lr: 1e-3, evalEvery: 5, patience: 10 }));
  }

  get dim(): number {
    return this.config.dim ?? 64;
  }

  protected build(rng: Rng): void {
    const init = { init: this.config.init, initStd: this.config.initStd ?? 0.1 };
    this.users = tableInit(rng.fork('users'), this.nUsers, this.dim, init);
    this.items = tableInit(rng.fork('items'), this.nItems, this.dim, init);
  }

  trainableVariables(): tf.Variable[] {
    return [this.users!, this.items!];
  }

  state(): Record<string, tf.Tensor> {
    return { 'user.embedding': this.users!, 'item.embedding': this.items! };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: this.config.negatives ?? 1, dropLast: this.config.dropLast ?? false });
  }

  /** The fused kernel's step: loss and gradient of the tables on the host (the Trainer's host path). */
  hostStep(batch: InteractionBatch): HostStep | undefined {
    if ((this.config.kernel ?? 'fused') !== 'fused') return undefined;
    const t = { users: hostValues(this.users!), items: hostValues(this.items!) };
    const grad = this.gradientBuffers();
    // score and L2 rows are the same tables: one pass for both terms
    const loss = bprFused(t, grad, this.dim, batch, this.reg, batch.batchSize ?? batch.users.length);
    return { loss, params: [t.users, t.items], grads: [grad.users, grad.items] };
  }

  /** Zeroed gradient tables, reused across steps (no 2 x table allocation per step). */
  private gradientBuffers(): BprTables {
    const size = [this.nUsers * this.dim, this.nItems * this.dim];
    if (this.grad?.users.length !== size[0] || this.grad.items.length !== size[1]) this.grad = { users: new Float32Array(size[0]), items: new Float32Array(size[1]) };
    this.grad.users.fill(0);
    this.grad.items.fill(0);
    return this.grad;
  }

  private get reg(): number {
    return this.config.reg ?? 1e-4;
  }

  loss(batch: InteractionBatch, _ctx?: unknown): tf.Scalar {
    const reg = this.reg;
    // the L2 term over the configured batch size, as the official `regularizer / self.batch_size`
    const divisor = batch.batchSize ?? batch.users.length;
    if ((this.config.kernel ?? 'fused') === 'fused') {
      const vars = [this.users!, this.items!];
      return hostLoss(vars, () => {
        const r = this.hostStep(batch)!;
        return { loss: r.loss, grads: r.grads as Float32Array[] };
      });
    }
    const u = gatherDiff(this.users as tf.Tensor2D, batch.users);
    const p = gatherDiff(this.items as tf.Tensor2D, batch.pos);
    const n = gatherDiff(this.items as tf.Tensor2D, batch.neg);
    const k = batch.negatives;
    const sPos = rowDot(u, p);
    const sNeg = tf.sum(tf.mul(u.expandDims(1), n.reshape([batch.users.length, k, this.dim])), 2);
    return bprLoss(sPos.expandDims(1), sNeg, reg, [u, p, n], divisor);
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
