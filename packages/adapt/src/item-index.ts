import { LmrecError, tf, type Aggregator, type Backbone } from '@lmrec/core';

/**
 * The item side of the reindexed LLM: one vector per item (V), so the LLM
 * logits of a context are g = q . V^T. Either a fixed matrix (frozen
 * aggregator, or title vectors made without training) or an aggregator run
 * over title token embeddings, whose weights can train with the adapter.
 */
export interface ItemIndex {
  readonly nItems: number;
  readonly dim: number;
  /** Variables an optimiser may update through this index (none when fixed). */
  trainableVariables(): tf.Variable[];
  /** Item vectors [ids.length, dim] (every item, in order, when ids is omitted); differentiable. */
  vectors(ids: tf.Tensor1D | undefined, training: boolean): tf.Tensor2D;
  /**
   * V^T [dim, nItems] for scoring the whole catalogue, laid out so the
   * matmul's right operand is not transposed (much faster on wasm). Owned
   * by the index: do not dispose.
   */
  itemsT(): tf.Tensor2D;
  dispose(): void;
}

/** A fixed item matrix V [nItems, dim], row-major. */
export class FixedItemIndex implements ItemIndex {
  readonly nItems: number;
  readonly dim: number;
  private readonly v: tf.Tensor2D;
  private readonly vT: tf.Tensor2D;

  constructor(vectors: Float32Array | tf.Tensor2D, nItems?: number, dim?: number) {
    if (vectors instanceof Float32Array) {
      if (nItems === undefined || dim === undefined || vectors.length !== nItems * dim) {
        throw new LmrecError('E_SHAPE', `FixedItemIndex: ${vectors.length} values do not make ${nItems} x ${dim}`);
      }
      this.v = tf.tensor2d(vectors, [nItems, dim]);
    } else {
      this.v = tf.clone(vectors);
    }
    this.nItems = this.v.shape[0];
    this.dim = this.v.shape[1];
    this.vT = tf.tidy(() => tf.transpose(this.v));
  }

  trainableVariables(): tf.Variable[] {
    return [];
  }

  vectors(ids: tf.Tensor1D | undefined): tf.Tensor2D {
    return ids ? tf.tidy(() => tf.gather(this.v, ids)) : tf.clone(this.v);
  }

  itemsT(): tf.Tensor2D {
    return this.vT;
  }

  /** V as a row-major copy. */
  matrix(): Float32Array {
    return this.v.dataSync() as Float32Array;
  }

  dispose(): void {
    this.v.dispose();
    this.vT.dispose();
  }
}

export interface TitleTokens {
  /** Token ids of each item's title, as the backbone tokenised it. */
  tokenIds: readonly (readonly number[])[];
  /** Embedding row of every distinct token id used, `dim` floats per id. */
  embeddings: ReadonlyMap<number, Float32Array> | ((ids: readonly number[]) => Float32Array | Promise<Float32Array>);
  dim: number;
  /** Titles longer than this keep their first `maxTokens` tokens (default 32). */
  maxTokens?: number;
}

/**
 * V = Aggregator(E_tok[title]) computed on the fly, so gradients of the
 * adapt loss flow into the aggregator. Titles are stored as a compact local
 * vocabulary (distinct token ids) plus padded ids and masks.
 */
export class AggregatorItemIndex implements ItemIndex {
  readonly nItems: number;
  readonly dim: number;
  private readonly table: tf.Tensor2D;
  private readonly ids: tf.Tensor2D;
  private readonly mask: tf.Tensor2D;
  private cachedT: tf.Tensor2D | undefined;

  constructor(
    readonly aggregator: Aggregator,
    table: Float32Array,
    localIds: Int32Array,
    mask: Float32Array,
    nItems: number,
    readonly maxTokens: number,
    tokenDim: number,
    readonly chunk = 512,
  ) {
    if (localIds.length !== nItems * maxTokens || mask.length !== nItems * maxTokens || table.length % tokenDim !== 0) {
      throw new LmrecError('E_SHAPE', 'AggregatorItemIndex: token ids, mask and table do not fit together');
    }
    this.nItems = nItems;
    this.dim = aggregator.dim;
    this.table = tf.tensor2d(table, [table.length / tokenDim, tokenDim]);
    this.ids = tf.tensor2d(localIds, [nItems, maxTokens], 'int32');
    this.mask = tf.tensor2d(mask, [nItems, maxTokens]);
  }

  /** Builds the padded title tensors from token ids and an embedding lookup. */
  static async create(aggregator: Aggregator, titles: TitleTokens): Promise<AggregatorItemIndex> {
    const longest = titles.tokenIds.reduce((m, t) => Math.max(m, t.length), 1);
    const maxTokens = Math.max(1, Math.min(titles.maxTokens ?? 32, longest));
    const n = titles.tokenIds.length;
    const local = new Map<number, number>();
    const localIds = new Int32Array(n * maxTokens);
    const mask = new Float32Array(n * maxTokens);
    titles.tokenIds.forEach((tokens, i) => {
      if (tokens.length === 0) {
        throw new LmrecError('E_DATA', `item ${i} has an empty title (no tokens)`, { hint: 'every item needs at least one title token' });
      }
      tokens.slice(0, maxTokens).forEach((id, p) => {
        let l = local.get(id);
        if (l === undefined) local.set(id, (l = local.size));
        localIds[i * maxTokens + p] = l;
        mask[i * maxTokens + p] = 1;
      });
    });
    const distinct = [...local.keys()];
    let table: Float32Array;
    if (typeof titles.embeddings === 'function') {
      table = Float32Array.from(await titles.embeddings(distinct));
    } else {
      table = new Float32Array(distinct.length * titles.dim);
      const map = titles.embeddings;
      distinct.forEach((id, l) => {
        const row = map.get(id);
        if (!row || row.length !== titles.dim) throw new LmrecError('E_DATA', `no ${titles.dim}-d embedding for token id ${id}`);
        table.set(row, l * titles.dim);
      });
    }
    if (table.length !== distinct.length * titles.dim) {
      throw new LmrecError('E_SHAPE', `token embeddings: ${table.length} values for ${distinct.length} ids x ${titles.dim}`);
    }
    return new AggregatorItemIndex(aggregator, table, localIds, mask, n, maxTokens, titles.dim);
  }

  /** From a backbone: tokenise the titles, fetch the token embedding rows. */
  static async fromBackbone(backbone: Backbone, titles: readonly string[], aggregator: Aggregator, maxTokens?: number): Promise<AggregatorItemIndex> {
    const tokenIds = await backbone.tokenize(titles);
    return AggregatorItemIndex.create(aggregator, { tokenIds, embeddings: (ids) => backbone.tokenEmbeddings(ids), dim: backbone.dim, maxTokens });
  }

  trainableVariables(): tf.Variable[] {
    return this.aggregator.trainableVariables();
  }

  vectors(ids: tf.Tensor1D | undefined, training: boolean): tf.Tensor2D {
    // A training call means the aggregator is about to change.
    if (training) this.invalidate();
    return tf.tidy(() => {
      const tokIds = ids ? tf.gather(this.ids, ids) : this.ids;
      const mask = ids ? tf.gather(this.mask, ids) : this.mask;
      const k = tokIds.shape[0];
      const tokens = tf.gather(this.table, tokIds.reshape([-1])).reshape([k, this.maxTokens, -1]) as tf.Tensor3D;
      return this.aggregator.apply(tokens, mask as tf.Tensor2D, training);
    });
  }

  itemsT(): tf.Tensor2D {
    if (!this.cachedT) {
      const parts: tf.Tensor2D[] = [];
      for (let start = 0; start < this.nItems; start += this.chunk) {
        const end = Math.min(this.nItems, start + this.chunk);
        parts.push(
          tf.tidy(() => {
            const ids = tf.range(start, end, 1, 'int32') as tf.Tensor1D;
            return this.vectors(ids, false);
          }),
        );
      }
      this.cachedT = tf.tidy(() => tf.transpose(tf.concat(parts, 0)));
      parts.forEach((p) => p.dispose());
    }
    return this.cachedT;
  }

  /** Drop the cached item matrix (after the aggregator's weights changed). */
  invalidate(): void {
    this.cachedT?.dispose();
    this.cachedT = undefined;
  }

  /** The current item matrix as a fixed index (a frozen aggregator's V). */
  freeze(): FixedItemIndex {
    const v = tf.transpose(this.itemsT()) as tf.Tensor2D;
    const fixed = new FixedItemIndex(v);
    v.dispose();
    return fixed;
  }

  /** Disposes the title tensors, not the aggregator (the caller owns it). */
  dispose(): void {
    this.invalidate();
    this.table.dispose();
    this.ids.dispose();
    this.mask.dispose();
  }
}
