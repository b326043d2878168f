import { beforeAll, describe, expect, it } from 'vitest';
import { gatherDiff, initBackend, tf } from '../src/index.js';

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

