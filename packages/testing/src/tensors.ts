import { Rng, tf } from '@lmrec/core';

/** n normal draws times `scale`, from a seeded stream. */
export function randomValues(rng: Rng, n: number, scale = 0.5): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/** Ragged token rows ("titles"), each [len * d]. */
export function randomTitles(rng: Rng, lengths: readonly number[], d: number): Float32Array[] {
  return lengths.map((len) => randomValues(rng, len * d));
}

/** Pads ragged titles to T tokens; padding is filled with `fill` (garbage the aggregator must ignore). */
export function padTitles(rows: readonly Float32Array[], lengths: readonly number[], T: number, d: number, fill: () => number = () => 0): { tokens: tf.Tensor3D; mask: tf.Tensor2D } {
  const data = new Float32Array(rows.length * T * d);
  const mask = new Float32Array(rows.length * T);
  rows.forEach((row, r) => {
    for (let i = 0; i < T * d; i++) data[r * T * d + i] = i < lengths[r] * d ? row[i] : fill();
    for (let t = 0; t < lengths[r]; t++) mask[r * T + t] = 1;
  });
  return { tokens: tf.tensor3d(data, [rows.length, T, d]), mask: tf.tensor2d(mask, [rows.length, T]) };
}

/** Host copy of every tensor of a state (to restore into another instance). */
export function copyState(state: Record<string, tf.Tensor>): Record<string, { shape: number[]; data: Float32Array }> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) }]));
}

export function toTensors(state: Record<string, { shape: number[]; data: Float32Array }>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
}

/** Global gradient norm of every variable in `vars` for `loss`, by variable name. */
export function gradientNorms(loss: () => tf.Scalar, vars: tf.Variable[]): Record<string, number> {
  const { grads, value } = tf.variableGrads(loss, vars);
  const norms: Record<string, number> = {};
  for (const v of vars) {
    const g = grads[v.name];
    norms[v.name] = g ? tf.tidy(() => tf.norm(g).dataSync()[0]) : 0;
  }
  tf.dispose([value, ...Object.values(grads)]);
  return norms;
}
