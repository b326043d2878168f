import { describe, expect, it } from 'vitest';
import { readTidy, readTidyRecord, sortedHas, tf } from '../src/index.js';

describe('readTidy', () => {
  it('returns the values and frees every tensor it made', () => {
    const before = tf.memory().numTensors;
    const values = readTidy(() => tf.tensor1d([1, 2, 3]).mul(2).add(1));
    expect(Array.from(values)).toEqual([3, 5, 7]);
    const record = readTidyRecord(() => ({ a: tf.scalar(4).sqrt(), b: tf.tensor1d([1, -1]).neg() }));
    expect(Array.from(record.a)).toEqual([2]);
    expect(Array.from(record.b)).toEqual([-1, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sortedHas', () => {
  it('agrees with a linear scan on every value around a sorted list', () => {
    const row = Int32Array.from([0, 2, 3, 7, 11, 12, 40]);
    for (let x = -2; x < 45; x++) expect(sortedHas(row, x)).toBe(Array.from(row).includes(x));
    expect(sortedHas([], 0)).toBe(false);
  });
});
