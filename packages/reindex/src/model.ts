import { LmrecError, tf, type Aggregator, type Backbone } from '@lmrec/core';
import type { CrsScorer } from '@lmrec/eval';

export interface ReindexModelOptions {
  aggregator: Aggregator;
  /** Backbone token ids of each item's title (item i = row i). */
  titleTokenIds: readonly (readonly number[])[];
  /** Distinct token ids with a row in `tokenTable`. */
  tokenIds: readonly number[];
  /** Rows of the frozen token embedding table for `tokenIds`, [tokenIds.length * dim]. */
  tokenTable: Float32Array;
  /** Token-embedding width d. */
  dim: number;
  /** Titles are cut to this many tokens. Default 32. */
  maxTitleTokens?: number;
  /** Items aggregated at once when building V. Default 1024. */
  blockSize?: number;
}

/**
 * The reindexed catalogue: a frozen token table E_tok, each item's title
 * token ids, and an aggregator v_i = Aggregator(E_tok[title_i]). The whole
 * catalogue is one matrix V [d, n] (item j = column j, the layout wasm
 * multiplies fastest) and a context q is scored by q . V.
 */
export class ReindexModel {
  readonly aggregator: Aggregator;
  readonly nItems: number;
  readonly dim: number;
  readonly maxTitleTokens: number;
  readonly blockSize: number;
  /** Title lengths after truncation. */
  readonly lengths: Int32Array;
  /** [nItems * maxTitleTokens] local table rows (padding -> 0). */
  private readonly index: Int32Array;
  /** The token table (not copied): title inputs are assembled from it on the host. */
  private readonly tokenTable: Float32Array;

  constructor(options: ReindexModelOptions) {
    const { aggregator, dim } = options;
    if (aggregator.dim !== dim) {
      throw new LmrecError('E_SHAPE', `aggregator "${aggregator.name}" outputs ${aggregator.dim} dims but queries have ${dim}`, {
        hint: 'item vectors and context vectors must share the backbone width (set outDim = d)',
      });
    }
    if (options.tokenTable.length !== options.tokenIds.length * dim) {
      throw new LmrecError('E_SHAPE', `token table has ${options.tokenTable.length} values for ${options.tokenIds.length} ids x ${dim}`);
    }
    this.aggregator = aggregator;
    this.dim = dim;
    this.nItems = options.titleTokenIds.length;
    this.maxTitleTokens = options.maxTitleTokens ?? 32;
    this.blockSize = options.blockSize ?? 1024;
    const row = new Map<number, number>();
    options.tokenIds.forEach((id, r) => row.set(id, r));
    this.lengths = new Int32Array(this.nItems);
    this.index = new Int32Array(this.nItems * this.maxTitleTokens);
    options.titleTokenIds.forEach((ids, i) => {
      const len = Math.min(ids.length, this.maxTitleTokens);
      this.lengths[i] = len;
      for (let t = 0; t < len; t++) {
        const r = row.get(ids[t]);
        if (r === undefined) throw new LmrecError('E_ARGUMENT', `title ${i}: token id ${ids[t]} has no row in the token table`);
        this.index[i * this.maxTitleTokens + t] = r;
      }
    });
    this.tokenTable = options.tokenTable;
  }

  /** The frozen token table, for the trainer's NaN / Inf check of its inputs. */
  inputs(): Record<string, { data: Float32Array; rowLength: number }> {
    return { 'token embeddings': { data: this.tokenTable, rowLength: this.dim } };
  }

  /** Tokenizes the titles with the backbone and reads the used rows of its table. */
  static async fromBackbone(backbone: Backbone, aggregator: Aggregator, titles: readonly string[], options: { maxTitleTokens?: number; blockSize?: number } = {}): Promise<ReindexModel> {
    await backbone.ready?.();
    const titleTokenIds = await backbone.tokenize(titles);
    const tokenIds = [...new Set(titleTokenIds.flat())].sort((a, b) => a - b);
    const tokenTable = await backbone.tokenEmbeddings(tokenIds);
    return new ReindexModel({ aggregator, titleTokenIds, tokenIds, tokenTable, dim: backbone.dim, ...options });
  }

  /** Padded token embeddings [k, T, d] and mask [k, T] of some items (T = their longest title). */
  titleInputs(items: Int32Array): { tokens: tf.Tensor3D; mask: tf.Tensor2D } {
    let T = 1;
    for (const i of items) {
      if (!(i >= 0 && i < this.nItems)) throw new LmrecError('E_RANGE', `item ${i} is outside [0, ${this.nItems})`);
      T = Math.max(T, this.lengths[i]);
    }
    const k = items.length;
    const d = this.dim;
    // rows copied on the host: wasm's gather takes ~45 ns a value (220 ms for one reindex batch)
    const tokens = new Float32Array(k * T * d);
    const mask = new Float32Array(k * T);
    items.forEach((item, r) => {
      const len = this.lengths[item];
      for (let t = 0; t < len; t++) {
        const row = this.index[item * this.maxTitleTokens + t];
        tokens.set(this.tokenTable.subarray(row * d, (row + 1) * d), (r * T + t) * d);
        mask[r * T + t] = 1;
      }
    });
    return { tokens: tf.tensor3d(tokens, [k, T, d]), mask: tf.tensor2d(mask, [k, T]) };
  }

  /**
   * Item vectors [k, d] in the order given (differentiable w.r.t. the
   * aggregator; call inside tidy / variableGrads). Items are aggregated in
   * contiguous chunks of `chunkSize`, each padded only to its own longest
   * title, so callers that sort items by title length (see `byLength`) pay
   * for few padded steps.
   */
  itemVectors(items: Int32Array, training = false, chunkSize = 256): tf.Tensor2D {
    const parts: tf.Tensor2D[] = [];
    for (let s = 0; s < items.length; s += chunkSize) {
      const chunk = items.subarray(s, Math.min(items.length, s + chunkSize));
      const { tokens, mask } = this.titleInputs(chunk);
      parts.push(this.aggregator.apply(tokens, mask, training));
      tf.dispose([tokens, mask]);
    }
    if (parts.length === 1) return parts[0];
    const out = tf.concat(parts, 0) as tf.Tensor2D;
    tf.dispose(parts);
    return out;
  }

  /** A copy of `items` sorted by title length (stable), for tight padding. */
  byLength(items: Int32Array): Int32Array {
    const order = Array.from(items.keys()).sort((a, b) => this.lengths[items[a]] - this.lengths[items[b]] || a - b);
    return Int32Array.from(order, (i) => items[i]);
  }

  /** V [d, nItems] of the current aggregator (inference mode, no gradient). Caller disposes. */
  itemMatrix(): tf.Tensor2D {
    if (this.nItems === 0) return tf.zeros([this.dim, 0]) as tf.Tensor2D;
    const sorted = this.byLength(new Int32Array(this.nItems).map((_, i) => i));
    const blocks: tf.Tensor2D[] = [];
    for (let start = 0; start < this.nItems; start += this.blockSize) {
      const ids = sorted.subarray(start, Math.min(this.nItems, start + this.blockSize));
      blocks.push(tf.tidy(() => this.itemVectors(ids, false, ids.length)));
    }
    // rows are in length order: put item i's row back at i, then lay out [d, n]
    const position = new Int32Array(this.nItems);
    sorted.forEach((item, row) => (position[item] = row));
    const V = tf.tidy(() => tf.transpose(tf.gather(tf.concat(blocks, 0), tf.tensor1d(position, 'int32'))) as tf.Tensor2D);
    tf.dispose(blocks);
    return V;
  }

  /** V as a Float32Array [d * nItems] (row c = dimension c over all items). */
  itemMatrixData(): Float32Array {
    const V = this.itemMatrix();
    const data = V.dataSync() as Float32Array;
    V.dispose();
    return data;
  }

  /** Scores [m, nItems] = q . V for queries [m * d]. */
  score(queries: Float32Array, V?: tf.Tensor2D): Float32Array {
    const m = queries.length / this.dim;
    const own = V ? undefined : this.itemMatrix();
    const out = readAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(queries, [m, this.dim]), (V ?? own)!)));
    own?.dispose();
    return out;
  }

  /**
   * A CRS scorer (for @lmrec/eval's evaluateCrs) over fixed queries
   * [nExamples * d], example i = row i; V is computed once. Dispose it after use.
   */
  scorer(queries: Float32Array): CrsScorer & { dispose(): void; readonly V: tf.Tensor2D } {
    const V = this.itemMatrix();
    const d = this.dim;
    const n = this.nItems;
    return {
      nItems: n,
      V,
      scoreExamples: (indices: Int32Array) => {
        const q = new Float32Array(indices.length * d);
        indices.forEach((e, r) => q.set(queries.subarray(e * d, (e + 1) * d), r * d));
        return readAndDispose(tf.tidy(() => tf.matMul(tf.tensor2d(q, [indices.length, d]), V)));
      },
      dispose: () => V.dispose(),
    };
  }

  /** Nothing is held on the device (kept so callers can free any model alike). */
  dispose(): void {}
}

/**
 * Reads a tensor's values and frees it. (Never return a typed array from
 * tf.tidy: tidy walks the returned value element by element looking for
 * tensors, which costs seconds for a score block.)
 */
function readAndDispose(t: tf.Tensor): Float32Array {
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}
