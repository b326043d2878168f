import { tf } from '@lmrec/core';
import { l2Rows } from '../nn/contrastive.js';

/**
 * The two in-batch softmax terms of BC Loss for row-aligned (user, positive)
 * embeddings: `popularity` is the bias extractor's InfoNCE on the
 * popularity-group embeddings; `main` uses the extractor's angle theta^ as a
 * margin on the positive's angle, cos(min(theta + theta^, pi)), the other
 * rows' items as negatives unchanged.
 */
export function bcLossTerms(u: tf.Tensor2D, i: tf.Tensor2D, pu: tf.Tensor2D, pi: tf.Tensor2D, tau1: number, tau2: number): { main: tf.Scalar; popularity: tf.Scalar } {
  const n = u.shape[0];
  const eye = tf.eye(n);
  const popCos = tf.matMul(l2Rows(pu), l2Rows(pi), false, true);
  const popularity = softmaxDiag(tf.div(popCos, tau2) as tf.Tensor2D, eye);
  // the margin is a constant of the main loss (the extractor learns only from its own term)
  const margin = tf.acos(tf.clipByValue(tf.tensor1d(tf.sum(tf.mul(popCos, eye), 1).dataSync() as Float32Array), -1 + 1e-7, 1 - 1e-7));
  const cos = tf.matMul(l2Rows(u), l2Rows(i), false, true);
  const theta = tf.acos(tf.clipByValue(tf.sum(tf.mul(cos, eye), 1), -1 + 1e-7, 1 - 1e-7));
  const posMargin = tf.cos(tf.minimum(tf.add(theta, margin), Math.PI));
  const offDiag = tf.mul(cos, tf.sub(1, eye));
  const logits = tf.add(offDiag, tf.mul(eye, posMargin.expandDims(1)));
  const main = softmaxDiag(tf.div(logits, tau1) as tf.Tensor2D, eye);
  return { main, popularity };
}

/** mean_r -log softmax(logits_r)[r]. */
function softmaxDiag(logits: tf.Tensor2D, eye: tf.Tensor): tf.Scalar {
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, eye), 1))) as tf.Scalar;
}

/** Popularity group of each row by its degree's quantile: groups equally filled where ties allow, 0 = least popular. */
export function popularityGroups(deg: Int32Array, groups: number): Int32Array {
  const order = Int32Array.from(deg.keys()).sort((a, b) => deg[a] - deg[b] || a - b);
  const out = new Int32Array(deg.length);
  let g = 0;
  for (let r = 0; r < order.length; r++) {
    // ties stay in one group: only move on when the degree changes
    const target = Math.min(groups - 1, Math.floor((r * groups) / order.length));
    if (r > 0 && deg[order[r]] !== deg[order[r - 1]]) g = Math.max(g, target);
    out[order[r]] = g;
  }
  return out;
}
