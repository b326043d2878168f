import { tf } from '@lmrec/core';

/** Rows scaled to unit L2 norm (F.normalize: eps keeps zero rows finite). */
export function l2Rows(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), eps)) as tf.Tensor2D;
}

/**
 * InfoNCE between two views of the same nodes (SGL, SimGCL, XSimGCL as in
 * the authors' SELFRec code): rows normalised, row r of `a` must pick row r
 * of `b` among all rows of `b`,
 *   mean_r -log( exp(a_r.b_r / tau) / sum_s exp(a_r.b_s / tau) ).
 */
export function infoNce(a: tf.Tensor2D, b: tf.Tensor2D, tau: number): tf.Scalar {
  const logits = tf.div(tf.matMul(l2Rows(a), l2Rows(b), false, true), tau) as tf.Tensor2D;
  const diag = tf.sum(tf.mul(logits, tf.eye(logits.shape[0])), 1);
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), diag)) as tf.Scalar;
}

/** Distinct ids in first-seen order (a batch's users / positives, each once in the contrastive term). */
export function uniqueIds(ids: ArrayLike<number>, shift = 0): Int32Array {
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i++) seen.add(ids[i] + shift);
  return Int32Array.from(seen);
}
