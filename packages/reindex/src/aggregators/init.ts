import { tf, type Rng } from '@lmrec/core';

/** U(-bound, bound) weights drawn from core's Rng (never from tfjs' RNG). */
export function uniformVariable(rng: Rng, shape: number[], bound: number, name: string): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (rng.float() * 2 - 1) * bound;
  // tidy frees the initial tensor (tf.variable keeps its own reference)
  return tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true, name));
}

export function constantVariable(shape: number[], value: number, name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value, 'float32'), true, name));
}

/** Identity matrix variable (optionally rectangular: ones on the diagonal). */
export function eyeVariable(rows: number, cols: number, name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.eye(rows, cols, undefined, 'float32'), true, name));
}

let uniqueCounter = 0;
/** tfjs variable names must be unique per process; keep the stable name in state(). */
export function uniqueName(base: string): string {
  uniqueCounter += 1;
  return `lmrec_reindex_${base}_${uniqueCounter}`;
}

/**
 * Dropout with a mask drawn from a seeded uniform (the seed comes from core's
 * Rng), scaled by 1 / (1 - rate) as in training-mode dropout.
 */
export function seededDropout(x: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  if (rate <= 0) return x;
  const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', rng.nextUint32()), rate), 'float32');
  return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
}
