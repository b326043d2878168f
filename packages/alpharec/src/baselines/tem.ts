import { Csr, LmrecError, readTidy, tf, topKBlock, type CfSplit, type Rng, type TextEncoder } from '@lmrec/core';
import {
  fitDefaults,
  InteractionSampler,
  matMul,
  SasRecNet,
  softmaxCrossEntropy,
  TrainedRecommender,
  xavierVariable,
  type EvalScorer,
  type HostState,
  type InteractionBatch,
  type Sampler,
  type StepContext,
  type TrainConfig,
} from '@lmrec/recsys';
import type { ItemEmbeddings } from '../user-vectors.js';

export interface TemConfig extends TrainConfig {
  itemEmbeddings?: ItemEmbeddings;
  encoder?: TextEncoder;
  dim?: number;
  heads?: number;
  layers?: number;
  dropout?: number;
  maxLen?: number;
  /** Share of training samples that get no query, so the model also ranks without an intention. Default 0.5. */
  queryDrop?: number;
}

/**
 * TEM-style intention baseline (after Bi et al. 2020): a transformer over
 * the user's history (recsys' SasRecNet blocks) plus a projected query
 * embedding, u = h_last + W_q q, scored against the item embeddings with a
 * full softmax. TEM reads the query as a token inside the transformer; here
 * it is added to the history's output. Training queries are the target
 * item's own text vector (a pseudo-intention, dropped for `queryDrop` of the
 * samples); at recommendation time the intention text goes through the same
 * encoder and `alpha` scales the query term (0 = no intention).
 */
export class Tem extends TrainedRecommender<InteractionBatch, Omit<TemConfig, 'itemEmbeddings' | 'encoder'>> {
  readonly name = 'tem';
  private items: ItemEmbeddings | undefined;
  private readonly encoder: TextEncoder | undefined;
  private net: SasRecNet | undefined;
  private wq: tf.Variable | undefined;

  constructor(config: TemConfig = {}) {
    const { itemEmbeddings, encoder, ...rest } = config;
    super(rest, fitDefaults({ epochs: 200, batchSize: 256, lr: 1e-3, evalEvery: 5, patience: 10 }));
    this.items = itemEmbeddings;
    this.encoder = encoder;
  }

  protected build(rng: Rng): void {
    const items = this.requireItems();
    const { dim = 64, heads = 2, layers = 2, dropout = 0.1, maxLen = 50 } = this.config;
    this.net = new SasRecNet({ nItems: this.nItems, dim, heads, layers, dropout, maxLen }, rng.fork('net'));
    this.wq = xavierVariable(rng.fork('query'), [items.dim, dim]);
  }

  private requireItems(): ItemEmbeddings {
    if (!this.items) throw new LmrecError('E_CONFIG', 'tem needs item text vectors (its training queries)', { hint: 'set the run\'s "encoder" or give the dataset item embeddings' });
    return this.items;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.net!.trainableVariables(), this.wq!];
  }

  state(): Record<string, tf.Tensor> {
    return { ...this.net!.state(), 'query.projection': this.wq! };
  }

  sampler(split: CfSplit): Sampler<InteractionBatch> {
    return new InteractionSampler(split.train, { negatives: 0 });
  }

  /** History hidden state plus the projected queries (rows of `queries` may be zero: no intention). */
  private userQuery(histories: readonly Int32Array[], queries: Float32Array, training: boolean): tf.Tensor2D {
    const h = this.net!.lastHidden(histories, training);
    return tf.add(h, matMul(tf.tensor2d(queries, [histories.length, this.requireItems().dim]), this.wq!)) as tf.Tensor2D;
  }

  private logits(u: tf.Tensor2D): tf.Tensor2D {
    return tf.add(matMul(u, this.net!.itemsT()), this.net!.itemBias) as tf.Tensor2D;
  }

  loss(batch: InteractionBatch, ctx: StepContext): tf.Scalar {
    const train = this.requireTrain();
    const { dim, data } = this.requireItems();
    this.net!.dropoutRng = ctx.rng;
    const drop = this.config.queryDrop ?? 0.5;
    const queries = new Float32Array(batch.users.length * dim);
    const histories = Array.from(batch.users, (u, r) => {
      if (ctx.rng.float() >= drop) queries.set(data.subarray(batch.pos[r] * dim, (batch.pos[r] + 1) * dim), r * dim);
      const row = train.row(u);
      const at = row.indexOf(batch.pos[r]);
      return Int32Array.from([...row.subarray(0, at), ...row.subarray(at + 1)]);
    });
    return softmaxCrossEntropy(this.logits(this.userQuery(histories, queries, true)), batch.pos);
  }

  scorer(): EvalScorer {
    const train = this.requireTrain();
    const dim = this.requireItems().dim;
    return {
      nItems: this.nItems,
      // an empty block would reach a zero-size transpose, which traps in the wasm kernel
      scoreBlock: (ids: Int32Array) => (ids.length === 0 ? new Float32Array(0) : readTidy(() => this.logits(this.userQuery(Array.from(ids, (u) => train.row(u)), new Float32Array(ids.length * dim), false)))),
    };
  }

  /** Top-k for a user (or a history) and an optional free-text intention; alpha scales the query term. */
  async recommend(request: { user?: number; history?: number[]; intention?: string; alpha?: number; k?: number; excludeSeen?: boolean }): Promise<{ items: Int32Array; scores: Float32Array }> {
    const train = this.requireTrain();
    const history = Int32Array.from(request.history ?? (request.user !== undefined ? train.row(request.user) : []));
    const q = new Float32Array(this.requireItems().dim);
    if (request.intention !== undefined) {
      if (!this.encoder) throw new LmrecError('E_CONFIG', 'tem needs a TextEncoder to read intentions', { hint: 'create it with the encoder that made the item vectors' });
      const [e] = await this.encoder.encode([request.intention]);
      const alpha = request.alpha ?? 1;
      for (let t = 0; t < q.length; t++) q[t] = alpha * e[t];
    }
    const scores = readTidy(() => this.logits(this.userQuery([history], q, false)));
    const exclude = request.excludeSeen === false ? undefined : Csr.fromRows(this.nItems, [Array.from(new Set(history))]);
    const top = topKBlock(scores, 1, this.nItems, request.k ?? 20, { exclude });
    return { items: top.ids, scores: top.scores };
  }

  protected override extras(): HostState {
    const items = this.requireItems();
    return { 'data.items': { dtype: 'F32', shape: [this.nItems, items.dim], data: items.data } };
  }

  protected override loadExtras(tensors: HostState): void {
    const t = tensors['data.items'];
    if (!t) throw new LmrecError('E_STATE', 'the saved tem has no data.items tensor');
    this.items = { dim: t.shape[1], data: t.data as Float32Array };
  }

  dispose(): void {
    this.net?.dispose();
    this.wq?.dispose();
    this.net = undefined;
    this.wq = undefined;
  }
}
