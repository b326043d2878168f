import { Csr, gatherDiff, LmrecError, Rng, spmmOp, tf, type CfSplit } from '@lmrec/core';
import {
  constantVariable,
  factorScorer,
  fitDefaults,
  InteractionSampler,
  infoNce,
  normalVariable,
  TrainedRecommender,
  transposeRows,
  type EvalScorer,
  type HostState,
  type InteractionBatch,
  type Sampler,
  type TrainConfig,
  type TrainResult,
} from '@lmrec/recsys';
import type { ItemEmbeddings } from '../user-vectors.js';
import { combineDomains, type Domain } from '../zero-shot.js';
import { unitRows } from './item-files.js';
import type { DomainTransfer } from './transfer.js';

export interface UniSRecConfig extends TrainConfig {
  itemEmbeddings?: ItemEmbeddings;
  /** Experts of the adaptor. Default 8 (UniSRec's n_exps). */
  experts?: number;
  /** Output size of each expert. Default 64. */
  outDim?: number;
  /** Temperature of the in-batch softmax. Default 0.07 (UniSRec). */
  tau?: number;
}

/**
 * UniSRec-style transferable item encoder (after Hou et al. 2022): each
 * expert whitens the frozen text vector with its own parameters,
 * e_k = (x - b_k) W_k, and a softmax gate over x mixes the experts. A user
 * is the mean of their history's adapted vectors (UniSRec proper runs a
 * transformer over the sequence), trained with an in-batch softmax on
 * cosines where the positive is left out of its own user's mean. Trained
 * on source domains (`fitDomains`), it is applied frozen to a target's text
 * vectors (`transferTo`).
 */
export class UniSRec extends TrainedRecommender<InteractionBatch, UniSRecConfig> implements DomainTransfer {
  readonly name = 'unisrec';
  private items: ItemEmbeddings | undefined;
  private vars: { w: tf.Variable; b: tf.Variable; gate: tf.Variable } | undefined;
  private itemTensor: tf.Tensor2D | undefined;

  constructor(config: UniSRecConfig = {}) {
    const { itemEmbeddings, ...rest } = config;
    super(rest, fitDefaults({ epochs: 300, batchSize: 1024, lr: 1e-3, evalEvery: 5, patience: 10 }));
    this.items = itemEmbeddings;
  }

  get experts(): number {
    return this.config.experts ?? 8;
  }

  get outDim(): number {
    return this.config.outDim ?? 64;
  }

  protected build(rng: Rng): void {
    const items = this.requireItems();
    const [d, k, o] = [items.dim, this.experts, this.outDim];
    this.itemTensor = tf.tensor2d(items.data, [this.nItems, d]);
    this.vars = { w: normalVariable(rng.fork('experts'), [d, k * o], Math.sqrt(2 / (d + o))), b: constantVariable([k, d], 0), gate: constantVariable([d, k], 0) };
  }

  private requireItems(): ItemEmbeddings {
    const items = this.items;
    if (!items) throw new LmrecError('E_CONFIG', 'unisrec needs item text vectors', { hint: 'set the run\'s "encoder" or give the dataset item embeddings' });
    if (this.nItems > 0 && items.data.length !== this.nItems * items.dim) throw new LmrecError('E_SHAPE', `unisrec: ${this.nItems} items but ${items.data.length / items.dim} vectors`);
    return items;
  }

  trainableVariables(): tf.Variable[] {
    const v = this.vars!;
    return [v.w, v.b, v.gate];
  }

  state(): Record<string, tf.Tensor> {
    const v = this.vars!;
    return { 'adaptor.experts': v.w, 'adaptor.whiten': v.b, 'adaptor.gate': v.gate };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: 0 });
  }

  /** Adapted vectors of every item: sum_k softmax(x Wg)_k (x - b_k) W_k, [nItems, outDim]. */
  adapt(x: tf.Tensor2D = this.itemTensor!): tf.Tensor2D {
    const { w, b, gate } = this.vars!;
    const [k, o] = [this.experts, this.outDim];
    const xw = tf.matMul(x, w).reshape([x.shape[0], k, o]);
    // b_k W_k for every expert: the whitening shift, [k, o]
    const bw = tf.sum(tf.mul(b.expandDims(2), w.reshape([x.shape[1], k, o]).transpose([1, 0, 2])), 1);
    const g = tf.softmax(tf.matMul(x, gate)).expandDims(2);
    return tf.sum(tf.mul(g, tf.sub(xw, bw)), 1) as tf.Tensor2D;
  }

  loss(batch: InteractionBatch): tf.Scalar {
    const table = this.adapt();
    const train = this.requireTrain();
    const n = batch.users.length;
    const indptr = new Int32Array(n + 1);
    const cols: number[] = [];
    const denom = new Float32Array(n);
    batch.users.forEach((u, r) => {
      for (const j of train.row(u)) cols.push(j);
      indptr[r + 1] = cols.length;
      denom[r] = Math.max(1, train.degree(u) - 1);
    });
    const sums = spmmOp(new Csr(n, this.nItems, indptr, Int32Array.from(cols)), table);
    const pos = gatherDiff(table, batch.pos);
    const users = tf.div(tf.sub(sums, pos), tf.tensor2d(denom, [n, 1])) as tf.Tensor2D;
    return infoNce(users, pos, this.config.tau ?? 0.07);
  }

  scorer(): EvalScorer {
    const d = this.outDim;
    const items = unitRows(tf.tidy(() => this.adapt().dataSync() as Float32Array), d);
    const train = this.requireTrain();
    const users = new Float32Array(this.nUsers * d);
    for (let u = 0; u < this.nUsers; u++) for (const j of train.row(u)) for (let t = 0; t < d; t++) users[u * d + t] += items[j * d + t];
    return factorScorer(this.nItems, d, unitRows(users, d), transposeRows(items, this.nItems, d));
  }

  async fitDomains(domains: readonly Domain[], fitOptions: Record<string, unknown> = {}): Promise<TrainResult> {
    const combined = combineDomains(domains);
    this.items = combined.itemEmbeddings;
    return this.fit(combined.split, fitOptions);
  }

  transferTo(target: CfSplit, itemEmbeddings: ItemEmbeddings): UniSRec {
    if (itemEmbeddings.dim !== this.requireItems().dim) throw new LmrecError('E_SHAPE', `unisrec was trained on ${this.requireItems().dim}-d text vectors, the target has ${itemEmbeddings.dim}-d`);
    const other = new UniSRec({ ...this.config, itemEmbeddings });
    other.init(target, new Rng(0)); // initial weights are overwritten next
    other.loadState(this.state());
    return other;
  }

  protected override extras(): HostState {
    const items = this.requireItems();
    return { 'data.items': { dtype: 'F32', shape: [this.nItems, items.dim], data: items.data } };
  }

  protected override loadExtras(tensors: HostState): void {
    const t = tensors['data.items'];
    if (!t) throw new LmrecError('E_STATE', 'the saved unisrec has no data.items tensor');
    this.items = { dim: t.shape[1], data: t.data as Float32Array };
  }

  dispose(): void {
    this.vars?.w.dispose();
    this.vars?.b.dispose();
    this.vars?.gate.dispose();
    this.itemTensor?.dispose();
    this.vars = undefined;
    this.itemTensor = undefined;
  }
}
