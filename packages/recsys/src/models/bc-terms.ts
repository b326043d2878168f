import { tf } from '@lmrec/core';
import { cosines, l2Rows, rowLogSumExp } from '../nn/contrastive.js';

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
  const [upu, upi, uu, ui] = [pu, pi, u, i].map((t) => l2Rows(t));
  const popLogits = tf.div(cosines(upu, upi), tau2) as tf.Tensor2D;
  const popularity = tf.mean(tf.sub(rowLogSumExp(popLogits), tf.div(rowDot(upu, upi), tau2))) as tf.Scalar;
  const margin = tf.sub(1, tf.sigmoid(rowDot(pu, pi)));
  const theta = tf.acos(tf.clipByValue(rowDot(uu, ui), -1 + 1e-7, 1 - 1e-7));
  const pos = tf.div(tf.cos(tf.add(theta, margin)), tau1);
  const main = tf.mean(tf.sub(rowLogSumExp(tf.div(cosines(uu, ui), tau1) as tf.Tensor2D), pos)) as tf.Scalar;
  return { main, popularity };
}

function rowDot(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(a, b), 1) as tf.Tensor1D;
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
