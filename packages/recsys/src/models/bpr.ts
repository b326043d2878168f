import { tf } from '@lmrec/core';

/**
 * BPR loss mean(softplus(-(s+ - s-))) = -mean(log sigmoid(s+ - s-)), plus
 * L2 on the batch's ego embeddings scaled as in LightGCN's reference:
 * reg * (|u|^2 + |i+|^2 + |i-|^2) / 2 / batch.
 */
export function bprLoss(pos: tf.Tensor, neg: tf.Tensor, reg: number, egos: tf.Tensor[], batch: number): tf.Scalar {
  const rank = tf.mean(tf.softplus(tf.sub(neg, pos)));
  if (reg <= 0) return rank as tf.Scalar;
  const l2 = tf.addN(egos.map((e) => tf.sum(tf.square(e))));
  return tf.add(rank, tf.mul(l2, reg / 2 / batch)) as tf.Scalar;
}

/** Row-wise dot products of two [n, d] tensors. */
export function rowDot(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(a, b), 1) as tf.Tensor1D;
}
