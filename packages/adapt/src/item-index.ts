import { LmrecError, tf, type Aggregator, type Rng } from '@lmrec/core';

/**
 * The item side of the reindexed LLM: one vector per item (V), so the LLM
 * logits of a context are g = q . V^T. Either fixed (a frozen aggregator's
 * V, or title vectors made without training) or computed by a trainable
 * aggregator so the adapt loss reaches its weights.
 */
export interface ItemIndex {
  readonly nItems: number;
  readonly dim: number;
  /** Variables an optimiser may update through this index (none when fixed). */
  trainableVariables(): tf.Variable[];
  /** Item vectors [ids.length, dim] (every item, in order, when ids is omitted); differentiable. */
  vectors(ids: Int32Array | undefined, training: boolean): tf.Tensor2D;
  /**
   * V^T [dim, nItems] for scoring the whole catalogue, laid out so the
   * matmul's right operand is not transposed (much faster on wasm). Owned
   * by the index: do not dispose.
   */
  itemsT(): tf.Tensor2D;
  /** Forget any cached item matrix (its weights were changed from outside, e.g. by loadState). */
  invalidate?(): void;
  /** Random streams of a trainable aggregator (dropout), saved with training checkpoints. */
  randomStreams?(): Record<string, Rng>;
  dispose(): void;
}

/**
 * What a reindexed catalogue offers (reindex's `ReindexModel` has this
 * shape): item vectors from an aggregator over title token embeddings.
 */
export interface ItemVectorSource {
  readonly nItems: number;
  readonly dim: number;
  readonly aggregator: Aggregator;
  /** [items.length, dim], differentiable w.r.t. the aggregator. */
  itemVectors(items: Int32Array, training?: boolean): tf.Tensor2D;
  /** V [dim, nItems] in inference mode; the caller disposes it. */
  itemMatrix(): tf.Tensor2D;
}

/** A fixed item matrix. */
export class FixedItemIndex implements ItemIndex {
  readonly nItems: number;
  readonly dim: number;
  private readonly vT: tf.Tensor2D;
  private v: tf.Tensor2D | undefined;

  /** `vectors`: row-major V [nItems, dim] (Float32Array or tensor). */
  constructor(vectors: Float32Array | tf.Tensor2D, nItems?: number, dim?: number) {
    if (vectors instanceof Float32Array) {
      if (nItems === undefined || dim === undefined || vectors.length !== nItems * dim) {
        throw new LmrecError('E_SHAPE', `FixedItemIndex: ${vectors.length} values do not make ${nItems} x ${dim}`);
      }
      this.vT = tf.tidy(() => tf.transpose(tf.tensor2d(vectors, [nItems, dim])));
    } else {
      this.vT = tf.tidy(() => tf.transpose(vectors));
    }
    [this.dim, this.nItems] = this.vT.shape;
  }

  /** From V^T [dim, nItems] (reindex's item matrix layout); the tensor is copied. */
  static fromItemsT(vT: tf.Tensor2D): FixedItemIndex {
    const v = tf.transpose(vT) as tf.Tensor2D;
    const index = new FixedItemIndex(v);
    v.dispose();
    return index;
  }

  /** The current item matrix of a source, fixed from now on (a frozen aggregator). */
  static freeze(source: ItemVectorSource): FixedItemIndex {
    const vT = source.itemMatrix();
    const index = FixedItemIndex.fromItemsT(vT);
    vT.dispose();
    return index;
  }

  trainableVariables(): tf.Variable[] {
    return [];
  }

  vectors(ids: Int32Array | undefined): tf.Tensor2D {
    // kept: this may run inside a caller's tidy, the cache must outlive it
    this.v ??= tf.keep(tf.tidy(() => tf.transpose(this.vT) as tf.Tensor2D));
    return ids ? tf.tidy(() => tf.gather(this.v!, tf.tensor1d(ids, 'int32'))) : tf.clone(this.v);
  }

  itemsT(): tf.Tensor2D {
    return this.vT;
  }

  /** V^T as a copy, [dim * nItems]. */
  itemsTData(): Float32Array {
    return this.vT.dataSync() as Float32Array;
  }

  dispose(): void {
    this.vT.dispose();
    this.v?.dispose();
  }
}

/**
 * V computed by the source's aggregator on every call, so gradients of the
 * adapt loss flow into the aggregator's weights (the "trainable aggregator"
 * ablation). The full matrix for scoring is cached until the next training call.
 */
export class TrainableItemIndex implements ItemIndex {
  private cachedT: tf.Tensor2D | undefined;

  constructor(readonly source: ItemVectorSource) {
    if (source.aggregator.dim !== source.dim) {
      throw new LmrecError('E_SHAPE', `aggregator "${source.aggregator.name}" outputs ${source.aggregator.dim} dims, the index ${source.dim}`);
    }
  }

  get nItems(): number {
    return this.source.nItems;
  }

  get dim(): number {
    return this.source.dim;
  }

  trainableVariables(): tf.Variable[] {
    return this.source.aggregator.trainableVariables();
  }

  vectors(ids: Int32Array | undefined, training: boolean): tf.Tensor2D {
    // A training call means the aggregator is about to change.
    if (training) this.invalidate();
    return this.source.itemVectors(ids ?? Int32Array.from({ length: this.nItems }, (_, i) => i), training);
  }

  itemsT(): tf.Tensor2D {
    // kept: this may run inside a caller's tidy, the cache must outlive it
    this.cachedT ??= tf.keep(this.source.itemMatrix());
    return this.cachedT;
  }

  randomStreams(): Record<string, Rng> {
    return this.source.aggregator.randomStreams?.() ?? {};
  }

  /** Drop the cached item matrix (after the aggregator's weights changed). */
  invalidate(): void {
    this.cachedT?.dispose();
    this.cachedT = undefined;
  }

  /** Frees the cache; the source (and its aggregator) belong to the caller. */
  dispose(): void {
    this.invalidate();
  }
}
