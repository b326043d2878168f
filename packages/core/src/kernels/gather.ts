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
    const shape = input.shape;
    const value = onHost(input, idx.length, axis)
      ? hostGather(input.dataSync() as Float32Array, shape, idx, axis)
      : tf.gather(input, ids instanceof Int32Array ? tf.tensor1d(ids, 'int32') : ids, axis);
    return { value, gradFunc: (dy: tf.Tensor) => scatterAdd(dy, idx, shape, axis) };
  });
  return op(x) as T;
}

/**
 * gatherDiff of rows, always copied on the host; `host` = x's values when
 * the caller already has them (several gathers from one large x then read
 * it once).
 */
export function gatherRows<T extends tf.Tensor>(x: T, ids: Int32Array, host?: Float32Array): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    const src = host ?? (input.dataSync() as Float32Array);
    if (src.length !== input.size) throw new LmrecError('E_SHAPE', `gatherRows: host copy has ${src.length} values for shape [${input.shape}]`);
    return { value: hostGather(src, input.shape, ids, 0), gradFunc: (dy: tf.Tensor) => scatterAdd(dy, ids, input.shape, 0) };
  });
  return op(x) as T;
}

/**
 * wasm's GatherV2 costs ~45 ns per value taken (220 ms for one reindex
 * batch of 18,840 token rows of width 256); a host copy ~1 ns per value of
 * x plus a few per value taken. So the host wins unless x is far larger
 * than what is taken; other backends keep their own gather.
 */
function onHost(x: tf.Tensor, taken: number, axis: 0 | 1): boolean {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return false;
  const perId = axis === 0 ? x.size / Math.max(1, x.shape[0]) : x.shape[0];
  return x.size <= 16 * taken * perId;
}

function hostGather(src: Float32Array, shape: number[], idx: Int32Array, axis: 0 | 1): tf.Tensor {
  const range = axis === 0 ? shape[0] : shape[1];
  for (const id of idx) if (!(id >= 0 && id < range)) throw new LmrecError('E_RANGE', `gather: ${axis === 0 ? 'row' : 'column'} ${id} is outside [0, ${range})`);
  if (axis === 0) {
    const inner = range === 0 ? 0 : src.length / range;
    const out = new Float32Array(idx.length * inner);
    idx.forEach((id, r) => out.set(src.subarray(id * inner, (id + 1) * inner), r * inner));
    return tf.tensor(out, [idx.length, ...shape.slice(1)]);
  }
  const [rows, cols] = shape;
  const k = idx.length;
  const out = new Float32Array(rows * k);
  for (let b = 0; b < rows; b++) for (let j = 0; j < k; j++) out[b * k + j] = src[b * cols + idx[j]];
  return tf.tensor(out, [rows, k]);
}

/** The gradient of a gather: dy's rows (axis 0) or columns (axis 1) added back at `idx`. */
function scatterAdd(dy: tf.Tensor, idx: Int32Array, shape: number[], axis: 0 | 1): tf.Tensor {
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
}
