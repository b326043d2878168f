import { LmrecError, tf } from '@lmrec/core';
import type { AdaptBatch, AdaptModel } from './models.js';

/**
 * Examples as the adapt loop sees them: per example the target item, the
 * item history (last 128 items mentioned before the turn) and, for models
 * that use the LLM, its context vector q.
 */
export interface AdaptExamples {
  targets: Int32Array;
  histories: readonly Int32Array[];
  /** q per example, row-major [targets.length, dim]. */
  queries?: Float32Array;
  dim?: number;
}

export function checkExamples(set: AdaptExamples, nItems: number, label: string): void {
  const n = set.targets.length;
  if (set.histories.length !== n) {
    throw new LmrecError('E_SHAPE', `${label}: ${n} targets but ${set.histories.length} histories`);
  }
  if (set.queries && (!set.dim || set.queries.length !== n * set.dim)) {
    throw new LmrecError('E_SHAPE', `${label}: queries hold ${set.queries.length} values for ${n} examples x dim ${set.dim}`);
  }
  for (let i = 0; i < n; i++) {
    const t = set.targets[i];
    if (!(t >= 0 && t < nItems)) throw new LmrecError('E_DATA', `${label}: example ${i} has target ${t} outside [0, ${nItems})`);
  }
}

/** The batch of `rows`; queries become a tensor the caller disposes (`disposeBatch`). */
export function makeBatch(set: AdaptExamples, rows: Int32Array, model: AdaptModel): AdaptBatch {
  const histories = Array.from(rows, (r) => set.histories[r]);
  if (!model.usesQueries) return { histories };
  if (!set.queries || !set.dim) throw new LmrecError('E_ARGUMENT', `model "${model.name}" needs context vectors q, the examples have none`);
  const d = set.dim;
  const q = new Float32Array(rows.length * d);
  rows.forEach((r, i) => q.set(set.queries!.subarray(r * d, (r + 1) * d), i * d));
  return { histories, queries: tf.tensor2d(q, [rows.length, d]) };
}

export function disposeBatch(batch: AdaptBatch): void {
  batch.queries?.dispose();
}

/** Full-catalogue scores [rows.length, nItems] of the examples `rows`. */
export async function scoreRows(model: AdaptModel, set: AdaptExamples, rows: Int32Array): Promise<Float32Array> {
  const batch = makeBatch(set, rows, model);
  try {
    const logits = tf.tidy(() => model.logits(batch, undefined, false));
    const out = (await logits.data()) as Float32Array;
    logits.dispose();
    return out;
  } finally {
    disposeBatch(batch);
  }
}

/** eval's CrsScorer shape: scores examples by their index in `set`. */
export function crsScorer(model: AdaptModel, set: AdaptExamples): { nItems: number; scoreExamples(indices: Int32Array): Promise<Float32Array> } {
  return { nItems: model.nItems, scoreExamples: (indices) => scoreRows(model, set, indices) };
}
