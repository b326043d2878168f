import { beforeAll, describe, expect, it } from 'vitest';
import { gatherDiff, gatherRows, initBackend, tf } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

describe('gatherDiff', () => {
  it('gathers like tf.gather and scatter-adds the gradient (repeated ids accumulate)', () => {
    const x = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const ids = tf.tensor1d([2, 0, 2], 'int32');
    const w = tf.tensor2d([[1, 10], [100, 1000], [2, 20]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(gatherDiff(x, ids), w)) as tf.Scalar, [x]);
    expect(value.dataSync()[0]).toBe(5 + 60 + 100 + 2000 + 10 + 120);
    expect(Array.from(grads[x.name].dataSync())).toEqual([100, 1000, 0, 0, 3, 30]);
    const cols = tf.variable(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
    const colIds = tf.tensor1d([1, 1, 0], 'int32');
    const r = tf.variableGrads(() => {
      const g = gatherDiff(cols as tf.Tensor2D, colIds, 1);
      expect(Array.from(g.dataSync())).toEqual([2, 2, 1, 5, 5, 4]);
      return tf.sum(tf.mul(g, tf.tensor2d([[1, 2, 3], [4, 5, 6]]))) as tf.Scalar;
    }, [cols]);
    expect(Array.from(r.grads[cols.name].dataSync())).toEqual([3, 3, 0, 6, 9, 0]);
    tf.dispose([x, ids, w, value, cols, colIds, r.value, ...Object.values(grads), ...Object.values(r.grads)]);
  });
});


describe('gather paths agree (host copy on wasm when many values are taken, tf.gather otherwise)', () => {
  const table = (rows: number, cols: number) => tf.variable(tf.tensor2d(Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i + 1)), [rows, cols]));
  const reference = (x: Float32Array, cols: number, ids: number[]) => ids.flatMap((id) => Array.from(x.subarray(id * cols, (id + 1) * cols)));

  for (const [label, rows, ids] of [
    ['many ids from a small table (host)', 4, [3, 0, 3, 1, 2, 2, 0, 1]],
    ['few ids from a large table (tf.gather)', 400, [17, 399]],
  ] as const) {
    it(`${label}: rows, columns and gradients`, () => {
      const x = table(rows, 3);
      const xs = x.dataSync() as Float32Array;
      const idx = Int32Array.from(ids);
      const { value, grads } = tf.variableGrads(() => {
        const g = gatherDiff(x, idx);
        expect(Array.from(g.dataSync())).toEqual(reference(xs, 3, [...ids]));
        return tf.sum(tf.mul(g, tf.fill(g.shape, 2))) as tf.Scalar;
      }, [x]);
      const expected = new Array(rows * 3).fill(0);
      for (const id of ids) for (let c = 0; c < 3; c++) expected[id * 3 + c] += 2;
      expect(Array.from(grads[x.name].dataSync())).toEqual(expected);
      const t = tf.transpose(x) as tf.Tensor2D;
      expect(Array.from(gatherDiff(t, idx, 1).dataSync())).toEqual(Array.from(tf.gather(t, tf.tensor1d(idx, 'int32'), 1).dataSync()));
      tf.dispose([x, t, value, ...Object.values(grads)]);
    });
  }

  it('gatherRows reads a given host copy, gathers rows of any rank and refuses ids out of range', () => {
    const x = tf.tensor3d(Float32Array.from({ length: 12 }, (_, i) => i), [3, 2, 2]);
    const host = x.dataSync() as Float32Array;
    expect(Array.from(gatherRows(x, Int32Array.from([2, 0]), host).dataSync())).toEqual([8, 9, 10, 11, 0, 1, 2, 3]);
    expect(() => gatherRows(x, Int32Array.from([3]))).toThrow(/row 3 is outside \[0, 3\)/);
    expect(() => gatherRows(x, Int32Array.from([0]), new Float32Array(5))).toThrow(/host copy has 5 values/);
    x.dispose();
  });
});
