import { tf } from '@lmrec/core';

/**
 * z[r, j] = (g[r, j] + bias[c]) * scale[c] with c = cols[j] (c = j without
 * cols), either term optional, forward and gradient on the typed arrays.
 * As tfjs ops the gradient of a per-column vector is a reduction over
 * rows, which wasm runs as a transpose plus a reduce on every step; the
 * adapters of the +Bias rows are nothing but this.
 */
export function columnAffine(g: tf.Tensor2D, cols: Int32Array | undefined, bias?: tf.Variable, scale?: tf.Variable): tf.Tensor2D {
  const [rows, k] = g.shape;
  const inputs: tf.Tensor[] = [g, ...(bias ? [bias] : []), ...(scale ? [scale] : [])];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const gv = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const nItems = (bias ?? scale)?.size ?? k;
    // absent terms as their neutral values keep the loops below monomorphic
    const b = bias ? ((args[1] as tf.Tensor).dataSync() as Float32Array) : new Float32Array(nItems);
    const m = scale ? ((args[bias ? 2 : 1] as tf.Tensor).dataSync() as Float32Array) : new Float32Array(nItems).fill(1);
    const c = cols ?? Int32Array.from({ length: k }, (_, j) => j);
    const gradFunc = (dy: tf.Tensor) => {
      const { dg, db, dm } = affineBackward(dy.dataSync() as Float32Array, gv, b, m, c, rows);
      return [tf.tensor2d(dg, [rows, k]), ...(bias ? [tf.tensor1d(Float32Array.from(db))] : []), ...(scale ? [tf.tensor1d(Float32Array.from(dm))] : [])];
    };
    return { value: tf.tensor2d(affineForward(gv, b, m, c, rows), [rows, k]), gradFunc };
  });
  return op(...inputs) as tf.Tensor2D;
}

// The loops are module-level functions so V8 optimises them once, not per customGrad closure.

function affineForward(g: Float32Array, b: Float32Array, m: Float32Array, cols: Int32Array, rows: number): Float32Array {
  const k = cols.length;
  const z = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let j = 0; j < k; j++) {
      const c = cols[j];
      z[o + j] = (g[o + j] + b[c]) * m[c];
    }
  }
  return z;
}

function affineBackward(dz: Float32Array, g: Float32Array, b: Float32Array, m: Float32Array, cols: Int32Array, rows: number) {
  const k = cols.length;
  const dg = new Float32Array(rows * k);
  const db = new Float64Array(b.length);
  const dm = new Float64Array(m.length);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let j = 0; j < k; j++) {
      const c = cols[j];
      const e = dz[o + j];
      const scaled = e * m[c];
      dg[o + j] = scaled;
      db[c] += scaled;
      dm[c] += e * (g[o + j] + b[c]);
    }
  }
  return { dg, db, dm };
}
