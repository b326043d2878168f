import { LmrecError, tf } from '@lmrec/core';

/**
 * RTA's sampled softmax loss. `logits` is [B, B + N]: column j < B holds
 * the logit of row j's positive (so the diagonal of the first B columns is
 * each row's own positive), columns B.. the N negatives shared across the
 * batch. L = mean_b -log exp(pos_b) / (exp(pos_b) + sum_n exp(neg_bn)).
 * A negative that happens to equal the positive stays in the sum, as in
 * the formula (sampling does not look at the targets).
 *
 * Forward and gradient run on the typed arrays: the same loss as tfjs ops
 * took ~40 broadcast and reduction kernels a batch, and tfjs' logSumExp
 * gradient alone a broadcast Equal of ~40 ms on wasm.
 */
export function sampledSoftmaxLoss(logits: tf.Tensor2D, batchSize: number): tf.Scalar {
  const [rows, cols] = logits.shape;
  if (rows !== batchSize || cols <= batchSize) {
    throw new LmrecError('E_SHAPE', `sampled softmax: logits [${logits.shape}] for a batch of ${batchSize}`);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const { loss, p } = softmaxForward((args[0] as tf.Tensor).dataSync() as Float32Array, rows, cols);
    const gradFunc = (dy: tf.Tensor) => tf.tensor2d(softmaxBackward(p, dy.dataSync()[0] / rows, rows, cols), [rows, cols]);
    return { value: tf.scalar(loss), gradFunc };
  });
  return op(logits) as tf.Scalar;
}

// Module-level loops, so V8 optimises them once, not per customGrad closure.

/** Mean loss, and p[r, 0] = the softmax weight of row r's positive, p[r, 1 + j] of negative j. */
function softmaxForward(z: Float32Array, rows: number, cols: number): { loss: number; p: Float64Array } {
  const n = cols - rows;
  const p = new Float64Array(rows * (n + 1));
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const pos = z[base + r];
    let max = pos;
    for (let j = 0; j < n; j++) max = Math.max(max, z[base + rows + j]);
    const out = r * (n + 1);
    let sum = (p[out] = Math.exp(pos - max));
    for (let j = 0; j < n; j++) sum += p[out + 1 + j] = Math.exp(z[base + rows + j] - max);
    for (let j = 0; j <= n; j++) p[out + j] /= sum;
    total += max + Math.log(sum) - pos;
  }
  return { loss: total / rows, p };
}

/** d loss / d z scaled by `scale`: softmax - 1 at the own positive, softmax at the negatives, 0 elsewhere. */
function softmaxBackward(p: Float64Array, scale: number, rows: number, cols: number): Float32Array {
  const n = cols - rows;
  const g = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const out = r * (n + 1);
    g[r * cols + r] = (p[out] - 1) * scale;
    for (let j = 0; j < n; j++) g[r * cols + rows + j] = p[out + 1 + j] * scale;
  }
  return g;
}
