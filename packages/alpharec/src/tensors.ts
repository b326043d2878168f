import { tf } from '@lmrec/core';

/**
 * Values of a tensor built in a tidy scope, the tensor freed. Never return a
 * typed array from tf.tidy itself: tidy walks its result element by element
 * looking for tensors, which costs seconds on million-element arrays.
 */
export function readTensor(make: () => tf.Tensor): Float32Array {
  const t = tf.tidy(make);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** `readTensor` for a record of tensors. */
export function readTensors<K extends string>(make: () => Record<K, tf.Tensor>): Record<K, Float32Array> {
  const ts = tf.tidy(make);
  const out = {} as Record<K, Float32Array>;
  try {
    for (const k of Object.keys(ts) as K[]) out[k] = ts[k].dataSync() as Float32Array;
  } finally {
    for (const t of Object.values(ts) as tf.Tensor[]) t.dispose();
  }
  return out;
}
