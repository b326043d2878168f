import { LmrecError } from '../errors.js';
import { tf } from '../tensor/tf.js';
import { Csr } from './csr.js';
import { spmmWasm } from './spmm-wasm.js';

/**
 * Y = A X for CSR A [n, m] and dense row-major X [m, d]. Runs the
 * WebAssembly SIMD kernel (rows split over the kernel threads) when it is
 * available and the problem is big enough, else `spmmReference`; both sum
 * each row's terms in the same order.
 */
export function spmm(a: Csr, x: Float32Array, d: number, out?: Float32Array): Float32Array {
  const y = checkedOutput(a, x, d, out);
  if (!spmmWasm(a, x, d, y)) spmmRows(a.indptr, a.indices, a.values, x, d, y, 0, a.nRows);
  return y;
}

/** The plain JavaScript kernel, single-threaded; the baseline for tests and benchmarks. */
export function spmmReference(a: Csr, x: Float32Array, d: number, out?: Float32Array): Float32Array {
  const y = checkedOutput(a, x, d, out);
  spmmRows(a.indptr, a.indices, a.values, x, d, y, 0, a.nRows);
  return y;
}

function checkedOutput(a: Csr, x: Float32Array, d: number, out?: Float32Array): Float32Array {
  if (x.length !== a.nCols * d) {
    throw new LmrecError('E_SHAPE', `spmm: X has ${x.length} values, expected ${a.nCols} x ${d}`);
  }
  if (out && out.length < a.nRows * d) {
    throw new LmrecError('E_SHAPE', `spmm: output has ${out.length} values, expected ${a.nRows} x ${d}`);
  }
  return out ?? new Float32Array(a.nRows * d);
}

/** Rows [r0, r1) of Y = A X; shared by the main thread and the workers. */
export function spmmRows(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array | undefined,
  x: Float32Array,
  d: number,
  y: Float32Array,
  r0: number,
  r1: number,
): void {
  for (let i = r0; i < r1; i++) {
    const yo = i * d;
    for (let c = 0; c < d; c++) y[yo + c] = 0;
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const v = values ? values[k] : 1;
      const xo = indices[k] * d;
      for (let c = 0; c < d; c++) y[yo + c] += v * x[xo + c];
    }
  }
}

const transposes = new WeakMap<Csr, Csr>();

/** A^T, computed once per matrix and kept while the matrix lives. */
export function cachedTranspose(a: Csr): Csr {
  let t = transposes.get(a);
  if (!t) {
    t = a.transpose();
    transposes.set(a, t);
  }
  return t;
}

/**
 * Y = A X as a differentiable tfjs op: dX = A^T dY. Runs on the typed-array
 * kernel whatever the backend, so it works inside tf.grad and
 * optimizer.minimize on wasm, cpu and tensorflow alike.
 */
export function spmmOp(a: Csr, x: tf.Tensor2D): tf.Tensor2D {
  const d = x.shape[1];
  if (x.shape[0] !== a.nCols) {
    throw new LmrecError('E_SHAPE', `spmmOp: X has ${x.shape[0]} rows, A has ${a.nCols} columns`);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const y = spmm(a, input.dataSync() as Float32Array, d);
    return {
      value: tf.tensor2d(y, [a.nRows, d]),
      gradFunc: (dy: tf.Tensor) => tf.tensor2d(spmm(cachedTranspose(a), dy.dataSync() as Float32Array, d), [a.nCols, d]),
    };
  });
  return op(x) as tf.Tensor2D;
}
