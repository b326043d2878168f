import { gatherRows, tf } from '@lmrec/core';
import { matMul } from '@lmrec/recsys';

/** Row indices for the read-position encoder, built once per batch on the CPU. */
export interface ReadLayout {
  /** Flat [n * T] index of every valid token, row-major. */
  valid: Int32Array;
  /** Flat [n * T] index of each title's last valid token (its own first position when it has none). */
  read: Int32Array;
  /** For each of the n * P key positions: its row in `valid`, or valid.length (the bias row) for padding. */
  keys: Int32Array;
  /** 1 for titles with a valid token, 0 for empty ones. */
  nonEmpty: Float32Array;
}

export function readLayout(mask: ArrayLike<number>, n: number, T: number, P: number): ReadLayout {
  let count = 0;
  for (let i = 0; i < n * T; i++) if (mask[i] !== 0) count++;
  const valid = new Int32Array(count);
  const read = new Int32Array(n);
  const keys = new Int32Array(n * P).fill(count);
  const nonEmpty = new Float32Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    read[i] = i * T;
    for (let t = 0; t < T; t++) {
      if (mask[i * T + t] === 0) continue;
      valid[v] = i * T + t;
      keys[i * P + t] = v++;
      read[i] = i * T + t;
      nonEmpty[i] = 1;
    }
  }
  return { valid, read, keys, nonEmpty };
}

/**
 * Groups of `per` rows of a matrix as [groups, heads, per, cols / heads], the
 * layout attention multiplies in (no transpose follows), forward and
 * backward on typed arrays like core's gatherRows.
 */
function gatherHeads(x: tf.Tensor2D, ids: Int32Array, split: { per: number; heads: number }): tf.Tensor {
  const [rows, cols] = x.shape;
  const P = split.per;
  const H = split.heads;
  const w = cols / H;
  const at = (r: number, h: number) => ((Math.floor(r / P) * H + h) * P + (r % P)) * w;
  const shape = [ids.length / P, H, P, w];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const src = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(ids.length * cols);
    for (let r = 0; r < ids.length; r++) {
      for (let h = 0; h < H; h++) out.set(src.subarray(ids[r] * cols + h * w, ids[r] * cols + (h + 1) * w), at(r, h));
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync();
      const acc = new Float32Array(rows * cols);
      for (let r = 0; r < ids.length; r++) {
        for (let h = 0; h < H; h++) {
          const dst = ids[r] * cols + h * w;
          const from = at(r, h);
          for (let c = 0; c < w; c++) acc[dst + c] += g[from + c];
        }
      }
      return tf.tensor2d(acc, [rows, cols]);
    };
    return { value: tf.tensor(out, shape), gradFunc };
  });
  return op(x);
}

export interface ReadWeights {
  (key: string): tf.Tensor;
}

export interface ReadOptions {
  heads: number;
  /** Key positions per title (>= T): positions past T are zero-vector padding. */
  P: number;
  /** [n, P] key mask, or undefined to attend to every position (padding included). */
  keyMask?: tf.Tensor2D;
  drop: (t: tf.Tensor) => tf.Tensor;
}

// recsys' matMul: its gradient transposes explicitly, ~10-30x faster on wasm
// than tfjs' transposed-operand matmuls at these shapes
function dense(x: tf.Tensor2D, w: ReadWeights, key: string): tf.Tensor2D {
  return tf.add(matMul(x, w(`${key}.weight`) as tf.Tensor2D), w(`${key}.bias`)) as tf.Tensor2D;
}

export function layerNormLast<T extends tf.Tensor>(x: T, gain: tf.Tensor, bias: tf.Tensor): T {
  const { mean, variance } = tf.moments(x, x.rank - 1, true);
  const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  return tf.add(tf.mul(normed, gain), bias) as T;
}

/**
 * The encoder layer evaluated for the query at each title's last valid token
 * only: with no positional encoding and position-wise FFN / norms / residuals,
 * no other row of the layer's output reaches the read. Keys and values still
 * span all P positions. A zero padding vector projects to the bias, so K / V
 * are computed for the valid tokens and padding gathers one shared bias row.
 * `x` [n, T, d] must already be zero where the mask is.
 */
export function encodeAtRead(x: tf.Tensor3D, layout: ReadLayout, w: ReadWeights, o: ReadOptions): tf.Tensor2D {
  const [n, T, d] = x.shape;
  const H = o.heads;
  const dh = d / H;
  const flat = tf.reshape(x, [n * T, d]) as tf.Tensor2D;
  const xRead = gatherRows(flat, layout.read) as tf.Tensor2D;

  const xValid = layout.valid.length > 0 ? (gatherRows(flat, layout.valid) as tf.Tensor2D) : undefined;
  const keysValues = (p: 'k' | 'v') => {
    const bias = tf.reshape(w(`attn.${p}.bias`), [1, d]) as tf.Tensor2D;
    const table = xValid ? (tf.concat([dense(xValid, w, `attn.${p}`), bias], 0) as tf.Tensor2D) : bias;
    return gatherHeads(table, layout.keys, { per: o.P, heads: H }) as tf.Tensor4D;
  };
  const k = keysValues('k');
  const v = keysValues('v');
  const q = tf.reshape(dense(xRead, w, 'attn.q'), [n, H, 1, dh]) as tf.Tensor4D;

  const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
  const masked = o.keyMask
    ? tf.where(tf.broadcastTo(tf.greater(tf.reshape(o.keyMask, [n, 1, 1, o.P]), 0), scores.shape), scores, tf.fill(scores.shape, -1e9))
    : scores;
  const weights = o.drop(tf.softmax(masked, 3)) as tf.Tensor4D;
  const ctx = tf.reshape(tf.matMul(weights, v), [n, d]) as tf.Tensor2D;
  const attn = dense(ctx, w, 'attn.o');

  const x1 = layerNormLast(tf.add(xRead, o.drop(attn)) as tf.Tensor2D, w('norm1.weight'), w('norm1.bias'));
  const hidden = o.drop(tf.relu(dense(x1, w, 'ffn.1'))) as tf.Tensor2D;
  const ffn = dense(hidden, w, 'ffn.2');
  const x2 = layerNormLast(tf.add(x1, o.drop(ffn)) as tf.Tensor2D, w('norm2.weight'), w('norm2.bias'));
  // the full-position version reads an empty title through an all-zero one-hot: a zero row
  return tf.mul(x2, tf.tensor2d(layout.nonEmpty, [n, 1])) as tf.Tensor2D;
}
