import { readTidy, tf } from '@lmrec/core';
import type { AdaptExamples } from './examples.js';
import type { FrozenLogitTable } from './fused-loss.js';
import type { ItemIndex } from './item-index.js';
import type { AdaptModel } from './models.js';

/** Largest cache built (floats): 64M = 256 MiB; above it the logits are computed per batch. */
const MAX_CACHED = 64 * 1024 * 1024;

/**
 * The LLM logits g = q . V^T of every training example, computed once when
 * the item index is frozen (its V never changes during the adapt step): the
 * +Bias and gating rows then only read the batch's columns from memory
 * instead of multiplying q by the gathered V^T every step, the step that
 * dominated their epochs (BENCHMARKS.md, RTA epochs).
 */
export class FrozenLlmLogits implements FrozenLogitTable {
  private constructor(
    readonly g: Float32Array,
    readonly width: number,
  ) {}

  /** A cache for `model` on `set`, or undefined when its index trains (or the cache would be too large). */
  static for(model: AdaptModel, set: AdaptExamples): FrozenLlmLogits | undefined {
    const index = (model as { index?: ItemIndex }).index;
    const n = set.targets.length;
    if (!index || !model.usesQueries || !set.queries || !set.dim || index.trainableVariables().length > 0) return undefined;
    if (n * index.nItems > MAX_CACHED) return undefined;
    const g = new Float32Array(n * index.nItems);
    const d = set.dim;
    for (let s = 0; s < n; s += 512) {
      const m = Math.min(512, n - s);
      g.set(readTidy(() => tf.matMul(tf.tensor2d(set.queries!.subarray(s * d, (s + m) * d), [m, d]), index.itemsT())), s * index.nItems);
    }
    return new FrozenLlmLogits(g, index.nItems);
  }

  /** g [rows.length, cols.length] of the examples `rows` over the item columns `cols`. */
  logits(rows: Int32Array, cols: Int32Array): tf.Tensor2D {
    return tf.tensor2d(pickColumns(this.g, this.width, rows, cols), [rows.length, cols.length]);
  }
}

function pickColumns(g: Float32Array, width: number, rows: Int32Array, cols: Int32Array): Float32Array {
  const k = cols.length;
  const out = new Float32Array(rows.length * k);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * width;
    const o = i * k;
    for (let j = 0; j < k; j++) out[o + j] = g[base + cols[j]];
  }
  return out;
}
