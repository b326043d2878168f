import { cachedTranspose, Csr, LmrecError, spmm, spmmOp, tf } from '@lmrec/core';

/**
 * The mapping's input X = [P Z; Z] given by its parts: Z [nItems, d] the
 * items' language vectors and P [nUsers, nItems] each user's mean over
 * their train items (weights 1 / n), so a user's row is the mean of its
 * items' rows. A linear layer then needs W on the item rows only: X W =
 * [P (Z W); Z W] and X^T G = Z^T (G_items + P^T G_users), exact in real
 * arithmetic and nUsers x d x out multiply-adds cheaper each way.
 */
export interface PooledRows {
  pool: Csr;
  z: tf.Tensor2D;
  zT: tf.Tensor2D;
}

/** The input for a train matrix: P from its rows (every entry weight 1 / row length, values ignored), Z and Z^T as tensors. */
export function pooledRows(train: Csr, items: { dim: number; data: Float32Array }): PooledRows {
  if (items.data.length !== train.nCols * items.dim) {
    throw new LmrecError('E_SHAPE', `item embeddings hold ${items.data.length / items.dim} rows of ${items.dim}, the split has ${train.nCols} items`, {
      hint: 'row i of the embedding file must be item i of the split',
    });
  }
  const values = new Float32Array(train.nnz);
  for (let u = 0; u < train.nRows; u++) {
    const [s, e] = [train.indptr[u], train.indptr[u + 1]];
    values.fill(1 / (e - s), s, e);
  }
  const pool = new Csr(train.nRows, train.nCols, train.indptr, train.indices, values);
  const z = tf.tensor2d(items.data, [train.nCols, items.dim]);
  return { pool, z, zT: tf.tidy(() => tf.transpose(z)) as tf.Tensor2D };
}

export function inputRows(input: tf.Tensor2D | PooledRows): number {
  return input instanceof tf.Tensor ? input.shape[0] : input.pool.nRows + input.pool.nCols;
}

/** X W as tfjs ops (differentiable in W: the pooling is spmmOp). */
export function inputTimes(input: tf.Tensor2D | PooledRows, w: tf.Tensor): tf.Tensor2D {
  if (input instanceof tf.Tensor) return tf.matMul(input, w as tf.Tensor2D);
  const zw = tf.matMul(input.z, w as tf.Tensor2D) as tf.Tensor2D;
  return tf.concat([spmmOp(input.pool, zw as tf.Tensor2D), zw]) as tf.Tensor2D;
}

/** X^T G for G [nUsers + nItems, k] on the host: Z^T (G_items + P^T G_users). */
export function inputTransposeTimes(input: PooledRows, g: tf.Tensor2D): tf.Tensor2D {
  const k = g.shape[1];
  const nU = input.pool.nRows;
  const all = g.dataSync() as Float32Array;
  const items = all.slice(nU * k);
  const back = spmm(cachedTranspose(input.pool), all.subarray(0, nU * k), k);
  for (let i = 0; i < items.length; i++) items[i] += back[i];
  return tf.matMul(input.zT, tf.tensor2d(items, [input.pool.nCols, k]));
}

export function disposeInput(input: PooledRows | undefined): void {
  input?.z.dispose();
  input?.zT.dispose();
}
