import { gatherDiff, LmrecError, readTidy, tf, type CfSplit, type Rng } from '@lmrec/core';
import { UserSampler, type UserBatch } from '../trainer/samplers.js';
import type { EvalScorer, Sampler, StepContext, TrainResult } from '../trainer/types.js';
import { matMul } from '../nn/ops.js';
import type { HostState } from '../trainer/checkpoint.js';
import { fitDefaults, TrainedRecommender, type RecsysFitOptions, type TrainConfig } from './base.js';
import { historyFactorScorer, softmaxCrossEntropy } from './fism.js';
import { lastN, userSequences } from './history.js';
import { SasRecNet, type SasRecNetOptions } from './sasrec-net.js';

export { SasRecNet, type SasRecNetOptions };

export interface SasRecConfig extends TrainConfig, Omit<SasRecNetOptions, 'nItems' | 'seed'> {
  /**
   * 'ce' (default): softmax cross-entropy over the catalogue at every position.
   * 'bce': the paper's loss, log-sigmoid of the next item against one uniform
   * negative per position that is not in the user's train sequence.
   */
  loss?: 'ce' | 'bce';
}

/** What a fit without `sequences` trains on: the order a user's items were met is lost. */
export const ID_ORDER_WARNING = "no time order given (the data has no timestamps): each user's train items were read in item-id order";

/**
 * SASRec as a collaborative recommender, trained on each user's train
 * sequence: inputs s[0..n-2], targets s[1..n-1], softmax cross-entropy over
 * the catalogue at every position (the paper uses BCE with one sampled
 * negative; full softmax is what RTA's gate trains and converges faster).
 * Sequences: `fit(split, { sequences })` in time order when timestamps exist,
 * otherwise each user's train items in item-id order (CfSplit has no times).
 */
export class SasRec extends TrainedRecommender<UserBatch, SasRecConfig> {
  readonly name = 'sasrec';
  net: SasRecNet | undefined;
  private sequences: Int32Array[] | undefined;
  private pendingSequences: readonly ArrayLike<number>[] | undefined;

  constructor(config: SasRecConfig = {}) {
    super(config, fitDefaults({ epochs: 200, batchSize: 128, lr: 1e-3, evalEvery: 5, patience: 10 }));
  }

  override async fit(data: CfSplit, options: RecsysFitOptions = {}): Promise<TrainResult & { warning?: string }> {
    this.pendingSequences = options.sequences;
    if (options.sequences) return super.fit(data, options);
    options.progress?.log?.(`warning: sasrec: ${ID_ORDER_WARNING}`);
    return { ...(await super.fit(data, options)), warning: ID_ORDER_WARNING };
  }

  protected build(rng: Rng): void {
    const { dim, heads, layers, dropout: rate, maxLen } = this.config;
    this.net = new SasRecNet({ nItems: this.nItems, dim, heads, layers, dropout: rate, maxLen }, rng);
    this.sequences ??= userSequences(this.requireTrain(), this.pendingSequences);
  }

  override init(split: CfSplit, rng: Rng): void {
    this.sequences = undefined;
    super.init(split, rng);
  }

  trainableVariables(): tf.Variable[] {
    return this.net!.trainableVariables();
  }

  state(): Record<string, tf.Tensor> {
    return this.net!.state();
  }

  sampler(split: CfSplit): Sampler<UserBatch> {
    return new UserSampler(split.train);
  }

  loss(batch: UserBatch, ctx: StepContext): tf.Scalar {
    const net = this.net!;
    net.dropoutRng = ctx.rng;
    const L = net.maxLen;
    const inputs: Int32Array[] = [];
    const rows: number[] = [];
    const targets: number[] = [];
    batch.users.forEach((u, b) => {
      const s = lastN(this.sequences![u], L + 1);
      const n = s.length - 1;
      inputs.push(s.subarray(0, Math.max(n, 0)));
      // input position t (left-padded) predicts s[t + 1]
      for (let t = 0; t < n; t++) {
        rows.push(b * L + (L - n) + t);
        targets.push(s[t + 1]);
      }
    });
    const negatives = this.config.loss === 'bce' ? this.drawNegatives(batch.users, rows, L, ctx.rng) : undefined;
    const H = net.hidden(inputs, true).reshape([batch.users.length * L, net.dim]) as tf.Tensor2D;
    if (rows.length === 0) return tf.mul(tf.sum(H), 0) as tf.Scalar;
    const picked = gatherDiff(H, Int32Array.from(rows));
    if (negatives) {
      const score = (ids: Int32Array) =>
        tf.add(tf.sum(tf.mul(picked, gatherDiff(net.itemEmbedding as tf.Tensor2D, ids)), 1), gatherDiff(net.itemBias.reshape([-1, 1]) as tf.Tensor2D, ids).reshape([-1]));
      return tf.mean(tf.add(tf.softplus(tf.neg(score(Int32Array.from(targets)))), tf.softplus(score(negatives)))) as tf.Scalar;
    }
    const logits = tf.add(matMul(picked, net.itemsT()), net.itemBias) as tf.Tensor2D;
    return softmaxCrossEntropy(logits, Int32Array.from(targets));
  }

  /** One negative per target row, uniform over items outside the user's train sequence (drawn before dropout). */
  private drawNegatives(users: Int32Array, rows: readonly number[], L: number, rng: Rng): Int32Array {
    const out = new Int32Array(rows.length);
    let seen: Set<number> | undefined;
    let seenUser = -1;
    rows.forEach((row, k) => {
      const u = users[Math.floor(row / L)];
      if (u !== seenUser) {
        seen = new Set(this.sequences![u]);
        seenUser = u;
      }
      if (seen!.size >= this.nItems) throw new LmrecError('E_DATA', `user ${u} has interacted with every item; no negative to draw`);
      let j: number;
      do j = rng.int(this.nItems);
      while (seen!.has(j));
      out[k] = j;
    });
    return out;
  }

  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    if (!this.net) throw new LmrecError('E_STATE', 'sasrec is not fitted or loaded');
    return readTidy(() => this.net!.logits(histories, false));
  }

  scorer(): EvalScorer {
    const net = this.net!;
    const seqs = this.sequences!;
    return historyFactorScorer(this.nUsers, this.nItems, net.dim, (ids) => net.lastHidden(Array.from(ids, (u) => seqs[u]), false), net.itemsT(), net.itemBias);
  }

  protected override extras(): HostState {
    const seqs = this.sequences!;
    const indptr = new Int32Array(seqs.length + 1);
    seqs.forEach((s, u) => (indptr[u + 1] = indptr[u] + s.length));
    const indices = new Int32Array(indptr[seqs.length]);
    seqs.forEach((s, u) => indices.set(s, indptr[u]));
    return {
      'data.sequences.indptr': { dtype: 'I32', shape: [indptr.length], data: indptr },
      'data.sequences.indices': { dtype: 'I32', shape: [indices.length], data: indices },
    };
  }

  protected override loadExtras(tensors: HostState): void {
    const indptr = tensors['data.sequences.indptr']?.data as Int32Array | undefined;
    const indices = tensors['data.sequences.indices']?.data as Int32Array | undefined;
    if (!indptr || !indices) throw new LmrecError('E_STATE', 'saved sasrec has no data.sequences.* tensors');
    this.sequences = Array.from({ length: indptr.length - 1 }, (_, u) => indices.slice(indptr[u], indptr[u + 1]));
  }

  dispose(): void {
    this.net?.dispose();
    this.net = undefined;
  }
}
