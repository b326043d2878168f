import { tf } from '@lmrec/core';

/** A variable's values on the host, tagged with the tensor data they were read from. */
interface Mirror {
  dataId: object;
  values: Float32Array;
}

const mirrors = new WeakMap<tf.Variable, Mirror>();

/**
 * A host copy of `v`'s values that persists between training steps: read
 * from the backend only when the variable was assigned by someone else
 * since (every `assign` gives it a new dataId), so host-side training steps
 * do not copy whole tables out of tfjs per step. The array is shared by
 * every caller: change it only through `assignHost`.
 */
export function hostValues(v: tf.Variable): Float32Array {
  const m = mirrors.get(v);
  if (m && m.dataId === v.dataId && m.values.length === v.size) return m.values;
  const values = Float32Array.from(v.dataSync() as Float32Array);
  mirrors.set(v, { dataId: v.dataId, values });
  return values;
}

/**
 * Assigns host values (typically the `hostValues` array updated in place)
 * to `v` and keeps them as its mirror. The wasm backend copies on write;
 * other backends may keep the array, so they get a copy.
 */
export function assignHost(v: tf.Variable, values: Float32Array): void {
  const data = tf.getBackend() === 'wasm' ? values : values.slice();
  tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
  mirrors.set(v, { dataId: v.dataId, values });
}
