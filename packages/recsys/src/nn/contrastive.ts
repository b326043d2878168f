import { tf } from '@lmrec/core';
import { matMul } from './ops.js';

/**
 * Rows scaled to unit L2 norm (F.normalize, eps 1e-12). The norm is
 * sqrt(max(|x|^2, eps^2)), not max(tf.norm, eps): tf.norm's gradient at a
 * zero row is 0/0 = NaN (a user with one train item left out has one).
 */
export function l2Rows(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), eps * eps))) as tf.Tensor2D;
}

/**
 * InfoNCE between two views of the same nodes (SGL, SimGCL, XSimGCL as in
 * the authors' SELFRec code): rows normalised, row r of `a` must pick row r
 * of `b` among all rows of `b`,
 *   mean_r -log( exp(a_r.b_r / tau) / sum_s exp(a_r.b_s / tau) ).
 */
export function infoNce(a: tf.Tensor2D, b: tf.Tensor2D, tau: number): tf.Scalar {
  const [ua, ub] = [l2Rows(a), l2Rows(b)];
  const logits = tf.div(cosines(ua, ub), tau) as tf.Tensor2D;
  const diag = tf.div(tf.sum(tf.mul(ua, ub), 1), tau);
  return tf.mean(tf.sub(rowLogSumExp(logits), diag)) as tf.Scalar;
}

/** a @ b^T for row-normalised inputs, with explicit transposes (fast on wasm, see nn/ops matMul). */
export function cosines(ua: tf.Tensor2D, ub: tf.Tensor2D): tf.Tensor2D {
  return matMul(ua, tf.transpose(ub));
}

/**
 * log sum_j exp(x[r, j]) per row, with its gradient softmax(x) * dy, on the
 * typed arrays: tfjs' logSumExp costs ~4x a 1200 x 1200 matmul on wasm.
 */
export function rowLogSumExp(x: tf.Tensor2D): tf.Tensor1D {
  const [n, m] = x.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const v = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(n);
    const soft = new Float32Array(n * m);
    for (let r = 0; r < n; r++) {
      let max = -Infinity;
      for (let j = 0; j < m; j++) max = Math.max(max, v[r * m + j]);
      let sum = 0;
      for (let j = 0; j < m; j++) sum += soft[r * m + j] = Math.exp(v[r * m + j] - max);
      for (let j = 0; j < m; j++) soft[r * m + j] /= sum;
      out[r] = max + Math.log(sum);
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync();
      for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) soft[r * m + j] *= g[r];
      return tf.tensor2d(soft, [n, m]);
    };
    return { value: tf.tensor1d(out), gradFunc };
  });
  return op(x) as tf.Tensor1D;
}

/** Distinct ids in first-seen order (a batch's users / positives, each once in the contrastive term). */
export function uniqueIds(ids: ArrayLike<number>, shift = 0): Int32Array {
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i++) seen.add(ids[i] + shift);
  return Int32Array.from(seen);
}
