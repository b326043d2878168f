import { gatherDiff, tf, type CfSplit, type Csr, type Rng } from '@lmrec/core';
import { l2Rows } from '../nn/contrastive.js';
import { normalVariable } from '../nn/init.js';
import { transposeRows } from '../nn/transpose.js';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler } from '../trainer/types.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { LightGcn } from './lightgcn.js';
import { MfBpr } from './mf.js';
import { bcLossTerms, popularityGroups } from './bc-terms.js';

export interface BcLossConfig extends TrainConfig {
  /** Embedding backbone: 'mf' (no graph) or 'lightgcn' (layer-mean propagation). Default 'lightgcn'. */
  backbone?: 'mf' | 'lightgcn';
  dim?: number;
  /** LightGCN layers. Default 2 (the authors' LightGCN setting). */
  layers?: number;
  /** Temperature of the main (bias-aware) loss. Default 0.1. */
  tau1?: number;
  /** Temperature of the popularity branch. Default 0.1. */
  tau2?: number;
  /** Weight lambda: (1 - lambda) * L_BC + lambda * L_pop, as in the authors' code. Default 0.5. */
  popWeight?: number;
  /** Popularity groups users and items are bucketed into (by train degree quantile). Default 10. */
  popGroups?: number;
  /** L2 on the batch's layer-0 embeddings (both branches). Default 1e-4. */
  reg?: number;
  initStd?: number;
}

/**
 * BC Loss (Zhang et al., NeurIPS 2022): in-batch softmax on cosine scores
 * where the positive's angle gets a popularity-dependent margin from a
 * popularity-only bias extractor (one embedding per user / item popularity
 * group, trained at the same time with its own in-batch softmax). The
 * margin is the authors' released form, 1 - sigmoid(pu . pi), not the
 * paper's arccos one (see bcLossTerms). Scores by cosine. The backbone (an
 * MfBpr or a LightGcn) holds the main weights.
 */
export class BcLoss extends TrainedRecommender<InteractionBatch, BcLossConfig> {
  readonly name = 'bcloss';
  private readonly net: MfBpr | LightGcn;
  private pop: { users: tf.Variable; items: tf.Variable; userGroup: Int32Array; itemGroup: Int32Array } | undefined;

  constructor(config: BcLossConfig = {}) {
    super(config, fitDefaults({ epochs: 1000, batchSize: 2048, lr: 1e-3, evalEvery: 5, patience: 10 }));
    const { dim, reg, initStd } = config;
    this.net = config.backbone === 'mf' ? new MfBpr({ dim, reg, initStd }) : new LightGcn({ dim, reg, initStd, layers: config.layers ?? 2 });
  }

  get dim(): number {
    return this.net.dim;
  }

  protected build(rng: Rng): void {
    const train = this.requireTrain();
    this.net.init({ nUsers: this.nUsers, nItems: this.nItems, train, valid: train, test: train }, rng);
    const groups = this.config.popGroups ?? 10;
    const userGroup = popularityGroups(degrees(train), groups);
    const itemGroup = popularityGroups(degrees(train.transpose()), groups);
    const std = this.config.initStd ?? 0.1;
    this.pop = { userGroup, itemGroup, users: normalVariable(rng.fork('pop-users'), [groups, this.dim], std), items: normalVariable(rng.fork('pop-items'), [groups, this.dim], std) };
  }

  trainableVariables(): tf.Variable[] {
    return [...this.net.trainableVariables(), this.pop!.users, this.pop!.items];
  }

  state(): Record<string, tf.Tensor> {
    return { ...this.net.state(), 'pop.user': this.pop!.users, 'pop.item': this.pop!.items };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: 0 });
  }

  /** [users, items] main embeddings (propagated for LightGCN), differentiable. */
  embeddings(): [tf.Tensor2D, tf.Tensor2D] {
    if (this.net instanceof MfBpr) {
      const s = this.net.state();
      return [s['user.embedding'] as tf.Tensor2D, s['item.embedding'] as tf.Tensor2D];
    }
    const all = this.net.propagate();
    return [all.slice([0, 0], [this.nUsers, -1]), all.slice([this.nUsers, 0], [this.nItems, -1])];
  }

  /** Layer-0 [users, items] tables (the L2 term's target). */
  private egoTables(): [tf.Tensor2D, tf.Tensor2D] {
    if (this.net instanceof MfBpr) return this.embeddings();
    const ego = this.net.trainableVariables()[0] as tf.Tensor2D;
    return [ego.slice([0, 0], [this.nUsers, -1]), ego.slice([this.nUsers, 0], [this.nItems, -1])];
  }

  loss(batch: InteractionBatch): tf.Scalar {
    const pop = this.pop!;
    const [users, items] = this.embeddings();
    const [u0, i0] = this.egoTables();
    const pu = gatherDiff(pop.users as tf.Tensor2D, batch.users.map((u) => pop.userGroup[u]));
    const pi = gatherDiff(pop.items as tf.Tensor2D, batch.pos.map((i) => pop.itemGroup[i]));
    const { main, popularity } = bcLossTerms(gatherDiff(users, batch.users), gatherDiff(items, batch.pos), pu, pi, this.config.tau1 ?? 0.1, this.config.tau2 ?? 0.1);
    const lambda = this.config.popWeight ?? 0.5;
    const n = batch.users.length;
    const l2 = tf.addN([gatherDiff(u0, batch.users), gatherDiff(i0, batch.pos), pu, pi].map((e) => tf.sum(tf.square(e))));
    return tf.addN([tf.mul(main, 1 - lambda), tf.mul(popularity, lambda), tf.mul(l2, (this.config.reg ?? 1e-4) / 2 / n)]) as tf.Scalar;
  }

  scorer(): EvalScorer {
    const [u, i] = tf.tidy(() => this.embeddings().map((t) => l2Rows(t).dataSync() as Float32Array));
    return factorScorer(this.nItems, this.dim, u, transposeRows(i, this.nItems, this.dim));
  }

  dispose(): void {
    this.net.dispose();
    this.pop?.users.dispose();
    this.pop?.items.dispose();
    this.pop = undefined;
  }
}

function degrees(m: Csr): Int32Array {
  return Int32Array.from({ length: m.nRows }, (_, r) => m.degree(r));
}
