import { tf } from './tf.js';

/**
 * The values of a tensor built in a tidy scope, the tensor freed. Never
 * return a typed array from `tf.tidy` itself: tidy walks its result element
 * by element looking for tensors, which costs seconds on large arrays.
 */
export function readTidy(make: () => tf.Tensor): Float32Array {
  const t = tf.tidy(make);
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}

/** `readTidy` for a record of tensors. */
export function readTidyRecord<K extends string>(make: () => Record<K, tf.Tensor>): Record<K, Float32Array> {
  const tensors = tf.tidy(make);
  const out = {} as Record<K, Float32Array>;
  try {
    for (const k of Object.keys(tensors) as K[]) out[k] = tensors[k].dataSync() as Float32Array;
  } finally {
    for (const t of Object.values(tensors) as tf.Tensor[]) t.dispose();
  }
  return out;
}
