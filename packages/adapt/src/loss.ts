import { LmrecError, tf } from '@lmrec/core';
import { rowLogSumExp } from '@lmrec/recsys';

/**
 * RTA's sampled softmax loss. `logits` is [B, B + N]: column j < B holds
 * the logit of row j's positive (so the diagonal of the first B columns is
 * each row's own positive), columns B.. the N negatives shared across the
 * batch. L = mean_b -log exp(pos_b) / (exp(pos_b) + sum_n exp(neg_bn)).
 * A negative that happens to equal the positive stays in the sum, as in
 * the formula (sampling does not look at the targets).
 */
export function sampledSoftmaxLoss(logits: tf.Tensor2D, batchSize: number): tf.Scalar {
  const [rows, cols] = logits.shape;
  if (rows !== batchSize || cols <= batchSize) {
    throw new LmrecError('E_SHAPE', `sampled softmax: logits [${logits.shape}] for a batch of ${batchSize}`);
  }
  return tf.tidy(() => {
    const own = logits.slice([0, 0], [rows, rows]);
    const pos = tf.sum(tf.mul(own, tf.eye(rows)), 1, true);
    const neg = logits.slice([0, rows], [rows, cols - rows]);
    const all = tf.concat([pos, neg], 1);
    // rowLogSumExp: tfjs' own logSumExp gradient runs a broadcast Equal that costs ~40 ms a batch on wasm
    return tf.mean(tf.sub(rowLogSumExp(all as tf.Tensor2D), tf.squeeze(pos, [1]))) as tf.Scalar;
  });
}
