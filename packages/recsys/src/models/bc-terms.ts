import { tf } from '@lmrec/core';
import { l2Rows } from '../nn/contrastive.js';

/**
 * The two in-batch softmax terms of BC Loss for row-aligned (user, positive)
 * embeddings, as the authors' released code computes them (BC_LOSS_batch):
 * `popularity` is the bias extractor's InfoNCE on cosines of the
 * popularity-group embeddings; `main` raises the positive's angle by the
 * margin M = 1 - sigmoid(pu . pi) (raw dot of the group embeddings, so
 * pairs the popularity explains well get a small margin) and divides
 * exp(cos(theta + M) / tau1) by the row's sum of exp(cos / tau1) over every
 * in-batch item, the positive's unmarginal score included. The margin's
 * gradient reaches the extractor, as in that code.
 */
export function bcLossTerms(u: tf.Tensor2D, i: tf.Tensor2D, pu: tf.Tensor2D, pi: tf.Tensor2D, tau1: number, tau2: number): { main: tf.Scalar; popularity: tf.Scalar } {
  const eye = tf.eye(u.shape[0]);
  const popLogits = tf.div(tf.matMul(l2Rows(pu), l2Rows(pi), false, true), tau2) as tf.Tensor2D;
  const popularity = tf.mean(tf.sub(tf.logSumExp(popLogits, 1), diag(popLogits, eye))) as tf.Scalar;
  const margin = tf.sub(1, tf.sigmoid(tf.sum(tf.mul(pu, pi), 1)));
  const cos = tf.matMul(l2Rows(u), l2Rows(i), false, true) as tf.Tensor2D;
  const theta = tf.acos(tf.clipByValue(diag(cos, eye), -1 + 1e-7, 1 - 1e-7));
  const pos = tf.div(tf.cos(tf.add(theta, margin)), tau1);
  const main = tf.mean(tf.sub(tf.logSumExp(tf.div(cos, tau1), 1), pos)) as tf.Scalar;
  return { main, popularity };
}

function diag(m: tf.Tensor2D, eye: tf.Tensor): tf.Tensor1D {
  return tf.sum(tf.mul(m, eye), 1) as tf.Tensor1D;
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
