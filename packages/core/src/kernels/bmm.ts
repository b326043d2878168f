import { LmrecError } from '../errors.js';
import { tf } from '../tensor/tf.js';
import { bmmWasm, type BmmShape } from './bmm-wasm.js';
import { getKernels } from './wasm/runtime.js';

/**
 * op(a) @ op(b) over the leading (batch) axes, differentiable, op a
 * transpose of the last two axes when asked. Both operands have the same
 * leading axes, or one of them is a plain matrix shared by every batch.
 * Batched and transposed products run on core's WebAssembly kernel (tfjs'
 * wasm backend sends them to a scalar loop ~10x slower); a plain matrix
 * product, and everything when the kernels are off, stays with tf.matMul.
 */
export function batchMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  const { shape, outShape } = bmmShape(a.shape, b.shape, transposeA, transposeB);
  if ((shape.batch === 1 && !transposeA && !transposeB) || !getKernels()) return tf.matMul(a, b, transposeA, transposeB);
  const op = tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    const c = bmmWasm(x.dataSync() as Float32Array, y.dataSync() as Float32Array, shape);
    return {
      value: c ? tf.tensor(c, outShape) : tf.matMul(x, y, transposeA, transposeB),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => bmmGrads(dy, saved[0], saved[1], transposeA, transposeB),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(a, b);
}

/** tfjs' BatchMatMul gradient rules, each product again a `batchMatMul`; a shared operand's gradient sums over the batch. */
function bmmGrads(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): tf.Tensor[] {
  let da: tf.Tensor;
  let db: tf.Tensor;
  if (!tA && !tB) [da, db] = [batchMatMul(dy, b, false, true), batchMatMul(a, dy, true, false)];
  else if (!tA && tB) [da, db] = [batchMatMul(dy, b, false, false), batchMatMul(dy, a, true, false)];
  else if (tA && !tB) [da, db] = [batchMatMul(b, dy, false, true), batchMatMul(a, dy, false, false)];
  else [da, db] = [batchMatMul(b, dy, true, true), batchMatMul(dy, a, true, true)];
  return [sumToShape(da, a.shape), sumToShape(db, b.shape)];
}

function sumToShape(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (g.rank === shape.length) return g;
  return tf.sum(tf.reshape(g, [-1, ...shape]), 0);
}

/** The product's sizes, or an E_SHAPE error naming the mismatch. */
export function bmmShape(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): { shape: BmmShape; outShape: number[] } {
  if (aShape.length < 2 || bShape.length < 2) throw new LmrecError('E_SHAPE', `batchMatMul: operands need rank 2 or more, got [${aShape}] and [${bShape}]`);
  const last2 = (s: readonly number[], t: boolean) => (t ? [s[s.length - 1], s[s.length - 2]] : [s[s.length - 2], s[s.length - 1]]);
  const [m, k] = last2(aShape, transposeA);
  const [kb, n] = last2(bShape, transposeB);
  if (k !== kb) throw new LmrecError('E_SHAPE', `batchMatMul: inner sizes differ (${k} vs ${kb}) for [${aShape}] and [${bShape}] (transposeA ${transposeA}, transposeB ${transposeB})`);
  const aOuter = aShape.slice(0, -2);
  const bOuter = bShape.slice(0, -2);
  const shared = aOuter.length === 0 || bOuter.length === 0;
  if (!shared && aOuter.join() !== bOuter.join()) {
    throw new LmrecError('E_SHAPE', `batchMatMul: batch axes differ: [${aOuter}] vs [${bOuter}] (equal, or one operand a plain matrix)`);
  }
  const outer = aOuter.length > 0 ? aOuter : bOuter;
  const size = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);
  const batch = size(outer);
  const shape = { batch, m, k, n, transposeA, transposeB, aBatch: size(aOuter), bBatch: size(bOuter) };
  return { shape, outShape: [...outer, m, n] };
}
