import { gatherDiff, tf, type CfSplit, type Csr, type Rng } from '@lmrec/core';
import { infoNce, uniqueIds } from '../nn/contrastive.js';
import { propagateLayersTensor } from '../nn/graph.js';
import type { InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, HostStep, Sampler, StepContext } from '../trainer/types.js';
import { fitDefaults, TrainedRecommender } from './base.js';
import { augmentedView, type Augmentation } from './graph-views.js';
import { LightGcn, type LightGcnConfig } from './lightgcn.js';

export interface SglConfig extends LightGcnConfig {
  /** 'edge' (SGL-ED, the paper's default), 'node' (SGL-ND) or 'walk' (SGL-RW). */
  augmentation?: Augmentation;
  /** Dropout ratio rho of the augmentation. Default 0.1. */
  dropRatio?: number;
  /** InfoNCE temperature tau. Default 0.2. */
  tau?: number;
  /** Weight lambda_1 of the self-supervised loss. Default 0.1. */
  sslWeight?: number;
}

/**
 * SGL (Wu et al. 2021): LightGCN trained with BPR plus lambda * InfoNCE
 * between two augmented views of the graph, for the batch's distinct users
 * and distinct positive items (in-batch negatives, as in the authors'
 * SELFRec code). Both views are drawn once per epoch from the epoch's
 * seeded stream, so a resumed run draws the same views. Scoring is
 * LightGCN's on the full graph; the LightGCN it wraps holds the weights.
 */
export class Sgl extends TrainedRecommender<InteractionBatch, SglConfig> {
  readonly name = 'sgl';
  private readonly gcn: LightGcn;
  private views: { epoch: number; adj: [Csr[], Csr[]] } | undefined;

  constructor(config: SglConfig = {}) {
    super(config, fitDefaults({ epochs: 1000, batchSize: 2048, lr: 1e-3, evalEvery: 5, patience: 10 }));
    const { dim, layers, reg, initStd } = config;
    this.gcn = new LightGcn({ dim, layers, reg, initStd });
  }

  protected build(rng: Rng): void {
    this.views = undefined;
    this.gcn.init({ nUsers: this.nUsers, nItems: this.nItems, train: this.requireTrain(), valid: this.requireTrain(), test: this.requireTrain() }, rng);
  }

  trainableVariables(): tf.Variable[] {
    return this.gcn.trainableVariables();
  }

  state(): Record<string, tf.Tensor> {
    return this.gcn.state();
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return this.gcn.sampler(split);
  }

  /** The epoch's two augmented views (per-layer adjacencies), drawn from the epoch's stream. */
  viewsFor(epoch: number, rng: Rng): [Csr[], Csr[]] {
    if (this.views?.epoch !== epoch) {
      const kind = this.config.augmentation ?? 'edge';
      const rate = this.config.dropRatio ?? 0.1;
      const train = this.requireTrain();
      const streams = rng.fork('sgl-views');
      this.views = { epoch, adj: [augmentedView(train, kind, rate, this.gcn.layers, streams.fork(1)), augmentedView(train, kind, rate, this.gcn.layers, streams.fork(2))] };
    }
    return this.views.adj;
  }

  /** Without the SSL term SGL is LightGCN: its host step. */
  hostStep(batch: InteractionBatch): HostStep | undefined {
    return (this.config.sslWeight ?? 0.1) === 0 ? this.gcn.hostStep(batch) : undefined;
  }

  loss(batch: InteractionBatch, ctx: StepContext): tf.Scalar {
    const bpr = this.gcn.loss(batch);
    const weight = this.config.sslWeight ?? 0.1;
    if (weight === 0) return bpr;
    const [a, b] = this.viewsFor(ctx.epoch, ctx.rng).map((adj) => this.layerMean(adj));
    const users = uniqueIds(batch.users);
    const items = uniqueIds(batch.pos, this.nUsers);
    const tau = this.config.tau ?? 0.2;
    const ssl = tf.add(infoNce(gatherDiff(a, users), gatherDiff(b, users), tau), infoNce(gatherDiff(a, items), gatherDiff(b, items), tau));
    return tf.add(bpr, tf.mul(ssl, weight)) as tf.Scalar;
  }

  /** LightGCN's layer mean (layer 0 included) on one view. */
  private layerMean(adj: Csr[]): tf.Tensor2D {
    const ego = this.gcn.trainableVariables()[0] as tf.Tensor2D;
    return tf.div(tf.addN(propagateLayersTensor(adj, ego, this.gcn.layers)), this.gcn.layers + 1) as tf.Tensor2D;
  }

  scorer(): EvalScorer {
    return this.gcn.scorer();
  }

  dispose(): void {
    this.gcn.dispose();
    this.views = undefined;
  }
}
