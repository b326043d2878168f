import { gatherDiff, normalizedAdjacency, tf, type CfSplit, type Csr, type Rng } from '@lmrec/core';
import { propagate, propagateBackward, propagateTensor } from '../nn/graph.js';
import { transposeRows } from '../nn/transpose.js';
import { InteractionSampler, type InteractionBatch } from '../trainer/samplers.js';
import type { EvalScorer, HostStep, Sampler } from '../trainer/types.js';
import { normalValues, tableStd, type TableInit } from '../nn/init.js';
import { factorScorer, fitDefaults, TrainedRecommender, type TrainConfig } from './base.js';
import { bprLoss, rowDot } from './bpr.js';
import { bprPairs, bprRegCounted, hostLoss } from './bpr-kernel.js';
import { hostValues } from '../trainer/host-values.js';

export interface LightGcnConfig extends TrainConfig {
  /** Default 64. */
  dim?: number;
  /** Propagation layers. Default 3. */
  layers?: number;
  /** L2 on the batch's ego (layer-0) embeddings. Default 1e-4. */
  reg?: number;
  /** Init N(0, initStd^2) when `init` is 'normal'. Default 0.1 (reference code). */
  initStd?: number;
  /** 'normal' (default) or 'xavier': xavier_normal_ on the user and the item table separately, std sqrt(2 / (rows + dim)) (AlphaRec's code). */
  init?: TableInit;
  /** Skip the last incomplete batch of an epoch (the official DataLoader's drop_last=True). Default false. */
  dropLast?: boolean;
  /** 'fused' (default): loss and gradient on plain arrays, propagation by core's spmm; 'tape': taped tfjs ops. */
  kernel?: 'fused' | 'tape';
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
    this.ego = tf.tidy(() => tf.variable(tf.tensor(this.initialRows(rng.fork('ego')), [this.nUsers + this.nItems, this.dim]), true));
  }

  /** Layer-0 rows: one N(0, std^2) stream over users then items, with each table's std. */
  private initialRows(rng: Rng): Float32Array {
    const o = { init: this.config.init, initStd: this.config.initStd ?? 0.1 };
    const su = tableStd(this.nUsers, this.dim, o);
    const si = tableStd(this.nItems, this.dim, o);
    const out = normalValues(rng, (this.nUsers + this.nItems) * this.dim, 1);
    const split = this.nUsers * this.dim;
    for (let i = 0; i < out.length; i++) out[i] *= i < split ? su : si;
    return out;
  }

  trainableVariables(): tf.Variable[] {
    return [this.ego!];
  }

  state(): Record<string, tf.Tensor> {
    return { 'ego.embedding': this.ego! };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: 1, dropLast: this.config.dropLast ?? false });
  }

  /** Layer mean of the propagated embeddings, differentiable. */
  propagate(): tf.Tensor2D {
    return propagateTensor(this.adj!, this.ego as tf.Tensor2D, this.layers);
  }

  loss(batch: InteractionBatch): tf.Scalar {
    const reg = this.config.reg ?? 1e-4;
    // the L2 term over the configured batch size, as the official `regularizer / self.batch_size`
    const divisor = batch.batchSize ?? batch.users.length;
    if ((this.config.kernel ?? 'fused') === 'fused') return hostLoss([this.ego!], () => this.fusedStep(hostValues(this.ego!), batch, reg, divisor));
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
    return bprLoss(rowDot(u, p).expandDims(1), sNeg, reg, egos, divisor);
  }

  /** The fused kernel's step on the host (the Trainer's host path): propagation, BPR and the way back. */
  hostStep(batch: InteractionBatch): HostStep | undefined {
    if ((this.config.kernel ?? 'fused') !== 'fused') return undefined;
    const ego = hostValues(this.ego!);
    const { loss, grads } = this.fusedStep(ego, batch, this.config.reg ?? 1e-4, batch.batchSize ?? batch.users.length);
    return { loss, params: [ego], grads };
  }

  /** Propagation, BPR and the way back on plain arrays: d loss / d layer 0. */
  private fusedStep(ego: Float32Array, batch: InteractionBatch, reg: number, divisor: number): { loss: number; grads: Float32Array[] } {
    const d = this.dim;
    const split = this.nUsers * d;
    const all = propagate(this.adj!, ego, d, this.layers);
    const part = (x: Float32Array) => ({ users: x.subarray(0, split), items: x.subarray(split) });
    const dAll = new Float32Array(all.length);
    const rank = bprPairs(part(all), part(dAll), d, batch);
    const g = propagateBackward(this.adj!, dAll, d, this.layers);
    // the L2 term is on layer 0: its gradient adds after the way back
    const l2 = bprRegCounted(part(ego), part(g), d, batch, reg, divisor);
    return { loss: rank + l2, grads: [g] };
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
