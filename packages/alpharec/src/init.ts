import { tf, type Rng } from '@lmrec/core';

/**
 * PyTorch's default Linear initialisation, drawn from lmrec's seeded Rng:
 * uniform(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weights and biases alike.
 */
export function uniformFanIn(rng: Rng, shape: number[], fanIn: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.float() - 1) * bound;
  return out;
}

/** A trainable variable holding `data` (tfjs names are left automatic: they must be globally unique). */
export function variableFrom(data: Float32Array, shape: number[]): tf.Variable {
  const t = tf.tensor(data, shape);
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}
