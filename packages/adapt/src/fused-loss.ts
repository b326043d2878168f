import { tf } from '@lmrec/core';

/** The frozen LLM logits g of the training examples, row-major [examples, width]. */
export interface FrozenLogitTable {
  readonly g: Float32Array;
  readonly width: number;
}

/** One adapt step's examples and item columns [each row's target..., shared negatives...]. */
export interface FusedBatch {
  rows: Int32Array;
  cols: Int32Array;
}

/**
 * RTA's sampled softmax over per-item adapted frozen logits, for the +Bias
 * rows: z[r, c] = (g[rows[r], c] + b[c]) * m[c] at row r's own positive
 * c = cols[r] and at the shared negatives cols[B..]. The same value and
 * gradient as sampledSoftmaxLoss(columnAffine(...)) over [B, B + N] logits,
 * without building them: the B - 1 other rows' positives in each row never
 * enter the loss, and one pass per row replaces five over the whole block
 * (gather, affine, softmax, and their two backward loops), which with the
 * garbage they left were ~90% of a +Bias epoch.
 */
export function fusedAffineLoss(table: FrozenLogitTable, batch: FusedBatch, bias?: tf.Variable, scale?: tf.Variable): tf.Scalar {
  const inputs = [bias, scale].filter((v): v is tf.Variable => v !== undefined);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const values = (v?: tf.Variable) => (v ? ((args[inputs.indexOf(v)] as tf.Tensor).dataSync() as Float32Array) : undefined);
    const { loss, db, dm } = affineLossGrads(table, batch, values(bias), values(scale));
    const gradFunc = (dy: tf.Tensor) => {
      const s = dy.dataSync()[0];
      return [...(bias ? [tf.tensor1d(db.map((x) => x * s))] : []), ...(scale ? [tf.tensor1d(dm.map((x) => x * s))] : [])];
    };
    return { value: tf.scalar(loss), gradFunc };
  });
  return op(...inputs) as tf.Scalar;
}

/**
 * RTA's sampled softmax over gated logits z = s g + (1 - s) h, s = sigmoid(c),
 * for the +RecSys rows with frozen g: h [B, B + N] are the recommender's
 * logits over the batch's columns (as sampledSoftmaxLoss lays them out);
 * gradients flow to h (zero at the other rows' positives) and to c.
 */
export function fusedGatedLoss(table: FrozenLogitTable, batch: FusedBatch, h: tf.Tensor2D, gateLogit: tf.Variable): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const hv = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const c = (args[1] as tf.Tensor).dataSync()[0];
    const s = 1 / (1 + Math.exp(-c));
    const { loss, dh, dz } = gatedSoftmax(table.g, table.width, batch.rows, batch.cols, hv, s);
    const gradFunc = (dy: tf.Tensor) => {
      const k = dy.dataSync()[0];
      for (let i = 0; i < dh.length; i++) dh[i] *= k;
      return [tf.tensor2d(dh, h.shape), tf.scalar(dz * s * (1 - s) * k)];
    };
    return { value: tf.scalar(loss), gradFunc };
  });
  return op(h, gateLogit) as tf.Scalar;
}

/**
 * The same loss's value and gradients on host arrays (b, m absent = 0, 1):
 * the Trainer's host step (no tape, no tfjs ops) and fusedAffineLoss's forward.
 */
export function affineLossGrads(table: FrozenLogitTable, batch: FusedBatch, b?: Float32Array, m?: Float32Array): { loss: number; db: Float32Array; dm: Float32Array } {
  const n = table.width;
  const r = affineSoftmax(table.g, n, batch.rows, batch.cols, b ?? new Float32Array(n), m ?? new Float32Array(n).fill(1));
  return { loss: r.loss, db: Float32Array.from(r.db), dm: Float32Array.from(r.dm) };
}

// Module-level loops, so V8 optimises them once, not per customGrad closure.
// Each row's logits are z[0] = its own positive (column cols[r]) and z[1 + j]
// = negative j (column cols[B + j]); the positive is handled apart from the
// negatives' loop, which then reads its columns without a branch.

/** Softmax weights of `z` in place (minus 1 at the positive, as d loss / d z), and the row's loss. */
function softmaxGrad(z: Float64Array, max: number): number {
  const pos = z[0];
  let sum = 0;
  for (let j = 0; j < z.length; j++) sum += z[j] = Math.exp(z[j] - max);
  const inv = 1 / sum;
  for (let j = 0; j < z.length; j++) z[j] *= inv;
  z[0] -= 1;
  return max + Math.log(sum) - pos;
}

function affineSoftmax(g: Float32Array, width: number, rows: Int32Array, cols: Int32Array, b: Float32Array, m: Float32Array) {
  const B = rows.length;
  const negs = cols.subarray(B);
  const N = negs.length;
  // the negatives' terms in column order, so the row loops read and add up contiguously
  const bn = Float64Array.from(negs, (c) => b[c]);
  const mn = Float64Array.from(negs, (c) => m[c]);
  const dbn = new Float64Array(N);
  const dmn = new Float64Array(N);
  const u = new Float64Array(N);
  const z = new Float64Array(N + 1);
  const db = new Float64Array(width);
  const dm = new Float64Array(width);
  let total = 0;
  for (let r = 0; r < B; r++) {
    const base = rows[r] * width;
    const c0 = cols[r];
    const u0 = g[base + c0] + b[c0];
    let max = (z[0] = u0 * m[c0]);
    for (let j = 0; j < N; j++) {
      const x = (z[j + 1] = (u[j] = g[base + negs[j]] + bn[j]) * mn[j]);
      if (x > max) max = x;
    }
    total += softmaxGrad(z, max);
    db[c0] += (z[0] / B) * m[c0];
    dm[c0] += (z[0] / B) * u0;
    for (let j = 0; j < N; j++) {
      const e = z[j + 1];
      dbn[j] += e;
      dmn[j] += e * u[j];
    }
  }
  for (let j = 0; j < N; j++) {
    db[negs[j]] += (dbn[j] / B) * mn[j];
    dm[negs[j]] += dmn[j] / B;
  }
  return { loss: total / B, db, dm };
}

/** The same over gated logits; h is [B, B + N] with row r's positive at column r and negative j at B + j. */
function gatedSoftmax(g: Float32Array, width: number, rows: Int32Array, cols: Int32Array, h: Float32Array, s: number) {
  const B = rows.length;
  const K = cols.length;
  const negs = cols.subarray(B);
  const z = new Float64Array(negs.length + 1);
  const dh = new Float32Array(B * K);
  let dz = 0;
  let total = 0;
  for (let r = 0; r < B; r++) {
    const base = rows[r] * width;
    const hr = r * K;
    let max = (z[0] = s * g[base + cols[r]] + (1 - s) * h[hr + r]);
    for (let j = 0; j < negs.length; j++) {
      const x = (z[j + 1] = s * g[base + negs[j]] + (1 - s) * h[hr + B + j]);
      if (x > max) max = x;
    }
    total += softmaxGrad(z, max);
    dh[hr + r] = (z[0] / B) * (1 - s);
    dz += (z[0] / B) * (g[base + cols[r]] - h[hr + r]);
    for (let j = 0; j < negs.length; j++) {
      const e = z[j + 1] / B;
      dh[hr + B + j] = e * (1 - s);
      dz += e * (g[base + negs[j]] - h[hr + B + j]);
    }
  }
  return { loss: total / B, dh, dz };
}
