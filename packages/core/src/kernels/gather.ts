import { LmrecError } from '../errors.js';
import { tf } from '../tensor/tf.js';

/**
 * tf.gather whose gradient is a scatter-add on typed arrays. tfjs' own
 * gather gradient needs the UnsortedSegmentSum kernel, which the wasm
 * backend lacks (and the cpu backend's version is O(segments x rows)).
 * axis 0: rows of a tensor of any rank; axis 1: columns of a matrix.
 * The ids are read at forward time, so `ids` may be freed before backprop.
 */
export function gatherDiff<T extends tf.Tensor>(x: T, ids: tf.Tensor1D | Int32Array, axis: 0 | 1 = 0): T {
  if (axis === 1 && x.rank !== 2) throw new LmrecError('E_SHAPE', `gatherDiff on axis 1 needs a matrix, got rank ${x.rank}`);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const idx = ids instanceof Int32Array ? ids : (ids.dataSync() as Int32Array);
    const value = tf.gather(input, ids instanceof Int32Array ? tf.tensor1d(ids, 'int32') : ids, axis);
    const shape = input.shape;
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync();
      const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (axis === 0) {
        const inner = out.length / shape[0];
        for (let r = 0; r < idx.length; r++) {
          const src = r * inner;
          const dst = idx[r] * inner;
          for (let c = 0; c < inner; c++) out[dst + c] += g[src + c];
        }
      } else {
        const [rows, cols] = shape;
        const k = idx.length;
        for (let b = 0; b < rows; b++) {
          for (let j = 0; j < k; j++) out[b * cols + idx[j]] += g[b * k + j];
        }
      }
      return tf.tensor(out, shape);
    };
    return { value, gradFunc };
  });
  return op(x) as T;
}
