import type { Scorer } from '@lmrec/core';
import { transposeRows } from '@lmrec/recsys';

/** L2-normalise each row of [n, dim] (zero rows stay zero). */
export function normalizeRowsInPlace(x: Float32Array, dim: number): Float32Array {
  for (let o = 0; o < x.length; o += dim) {
    let ss = 0;
    for (let t = 0; t < dim; t++) ss += x[o + t] * x[o + t];
    const inv = 1 / Math.max(Math.sqrt(ss), 1e-12);
    for (let t = 0; t < dim; t++) x[o + t] *= inv;
  }
  return x;
}

/**
 * Cosine scores from final user / item vectors: both sides normalised once,
 * items laid out [dim, nItems] so the evaluator's fused scoreTopK applies.
 */
export class CosineScorer implements Scorer {
  readonly nItems: number;
  readonly users: Float32Array;
  readonly itemsT: Float32Array;

  constructor(users: Float32Array, items: Float32Array, readonly dim: number) {
    this.nItems = items.length / dim;
    this.users = normalizeRowsInPlace(Float32Array.from(users), dim);
    this.itemsT = transposeRows(normalizeRowsInPlace(Float32Array.from(items), dim), this.nItems, dim);
  }

  factors(): { dim: number; users: Float32Array; itemsT: Float32Array } {
    return { dim: this.dim, users: this.users, itemsT: this.itemsT };
  }

  scoreBlock(users: Int32Array): Float32Array {
    return scoreVectors(this.users, users, this.itemsT, this.dim, this.nItems);
  }
}

/** Scores of the selected rows of `vectors` [*, dim] against itemsT [dim, nItems]. */
export function scoreVectors(vectors: Float32Array, rows: ArrayLike<number> | undefined, itemsT: Float32Array, dim: number, nItems: number): Float32Array {
  const n = rows ? rows.length : vectors.length / dim;
  const out = new Float32Array(n * nItems);
  for (let r = 0; r < n; r++) {
    const uo = (rows ? rows[r] : r) * dim;
    const so = r * nItems;
    for (let t = 0; t < dim; t++) {
      const w = vectors[uo + t];
      if (w === 0) continue;
      const io = t * nItems;
      for (let j = 0; j < nItems; j++) out[so + j] += w * itemsT[io + j];
    }
  }
  return out;
}
