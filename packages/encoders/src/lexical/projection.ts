import { Rng } from '@lmrec/core';

export type ProjectionKind = 'gaussian' | 'achlioptas';

/**
 * A seeded random projection from `inputDim` hashed buckets to `dim`, never
 * materialised: row b of the matrix is drawn from `new Rng(seed).fork(b)`,
 * so any machine regenerates the same matrix. Entries are scaled by
 * 1/sqrt(dim) so squared norms are preserved in expectation
 * (Johnson-Lindenstrauss):
 * - gaussian: N(0, 1) / sqrt(dim)
 * - achlioptas: sqrt(3/dim) * {+1 w.p. 1/6, 0 w.p. 2/3, -1 w.p. 1/6}, drawn
 *   as rng.int(6): 0 -> +1, 1 -> -1, else 0.
 */
export class RandomProjection {
  private readonly root: Rng;
  private readonly cache = new Map<number, Float32Array>();

  constructor(
    readonly kind: ProjectionKind,
    readonly dim: number,
    readonly seed: number,
    /** Rows kept in memory; the default budget is 2^24 floats (64 MiB). */
    private readonly maxCachedRows = Math.max(1024, Math.floor(2 ** 24 / dim)),
  ) {
    this.root = new Rng(seed);
  }

  /** Row `bucket` of the projection matrix (length `dim`). */
  row(bucket: number): Float32Array {
    let row = this.cache.get(bucket);
    if (row) return row;
    row = projectionRow(this.kind, this.dim, this.root.fork(bucket));
    if (this.cache.size >= this.maxCachedRows) this.cache.clear();
    this.cache.set(bucket, row);
    return row;
  }
}

export function projectionRow(kind: ProjectionKind, dim: number, rng: Rng): Float32Array {
  const row = new Float32Array(dim);
  if (kind === 'gaussian') {
    const scale = 1 / Math.sqrt(dim);
    for (let j = 0; j < dim; j++) row[j] = rng.normal() * scale;
  } else {
    const scale = Math.sqrt(3 / dim);
    for (let j = 0; j < dim; j++) {
      const u = rng.int(6);
      row[j] = u === 0 ? scale : u === 1 ? -scale : 0;
    }
  }
  return row;
}
