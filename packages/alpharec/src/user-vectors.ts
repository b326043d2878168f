import { LmrecError, type Csr } from '@lmrec/core';

/** Item language vectors [nItems, dim], row i = item i (the `.npy` layout). */
export interface ItemEmbeddings {
  dim: number;
  data: Float32Array;
  /**
   * The file the vectors were read from (e.g. AlphaRec's
   * `item_cf_embeds_large3_array.npy`): without `hidden` / `multiplier`, the
   * MLP takes the width the reference code uses for that file name.
   */
  file?: string;
}

/**
 * User language vectors: the plain mean of the user's TRAIN items' vectors
 * (zeros for a user without train items). [nUsers * dim], row-major.
 */
export function meanItemVectors(train: Csr, items: ItemEmbeddings): Float32Array {
  const { dim, data } = items;
  if (data.length !== train.nCols * dim) {
    throw new LmrecError('E_SHAPE', `item embeddings hold ${data.length / dim} rows of ${dim}, the split has ${train.nCols} items`, {
      hint: 'row i of the embedding file must be item i of the split',
    });
  }
  const out = new Float32Array(train.nRows * dim);
  for (let u = 0; u < train.nRows; u++) historyMean(train.row(u), items, out, u * dim);
  return out;
}

/** Mean of the given items' vectors written at `out[offset..offset+dim)`. */
export function historyMean(history: ArrayLike<number>, items: ItemEmbeddings, out = new Float32Array(items.dim), offset = 0): Float32Array {
  const { dim, data } = items;
  const n = history.length;
  if (n === 0) return out;
  const acc = new Float64Array(dim);
  for (let k = 0; k < n; k++) {
    const o = history[k] * dim;
    for (let t = 0; t < dim; t++) acc[t] += data[o + t];
  }
  for (let t = 0; t < dim; t++) out[offset + t] = acc[t] / n;
  return out;
}
