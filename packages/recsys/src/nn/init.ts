import { tf, type Rng } from '@lmrec/core';

/** N(mean, std^2) values from the seeded Rng (never tfjs' own RNG). */
export function normalValues(rng: Rng, count: number, std: number, mean = 0): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = mean + std * rng.normal();
  return out;
}

export function uniformValues(rng: Rng, count: number, low: number, high: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = low + (high - low) * rng.float();
  return out;
}

// Created inside tf.tidy: tf.variable(t) otherwise keeps the initial tensor t alive after dispose().
export function normalVariable(rng: Rng, shape: number[], std: number, name?: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(normalValues(rng, size(shape), std), shape), true, name));
}

/** Glorot / Xavier uniform for a [fanIn, fanOut] weight (torch xavier_uniform_). */
export function xavierVariable(rng: Rng, shape: [number, number], name?: string): tf.Variable {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.tidy(() => tf.variable(tf.tensor(uniformValues(rng, size(shape), -limit, limit), shape), true, name));
}

export function constantVariable(shape: number[], value: number, name?: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true, name));
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export type TableInit = 'normal' | 'xavier';

/**
 * An embedding table [rows, dim]: N(0, initStd^2), or torch's xavier_normal_
 * on an nn.Embedding weight (fan_in = dim, fan_out = rows), std sqrt(2 / (rows + dim)).
 */
export function tableInit(rng: Rng, rows: number, dim: number, o: { init?: TableInit; initStd: number }): tf.Variable {
  return normalVariable(rng, [rows, dim], tableStd(rows, dim, o));
}

export function tableStd(rows: number, dim: number, o: { init?: TableInit; initStd: number }): number {
  return (o.init ?? 'normal') === 'xavier' ? Math.sqrt(2 / (rows + dim)) : o.initStd;
}
