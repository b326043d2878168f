import type { Csr, Rng } from '@lmrec/core';

/** Bitsets up to this many (user, item) cells (8 MiB); larger matrices use binary search. */
const MAX_BITSET_CELLS = 1 << 26;

/**
 * Whether (user, item) is a train interaction, the sampler's rejection test.
 * A bitset over all cells when the matrix is small (ML-100K: 200 KB, one
 * load per test), else a binary search on the user's sorted row; either
 * touches far less memory than marking the user's row twice per sample.
 */
export class TrainMembership {
  private readonly bits: Int32Array | undefined;
  private readonly sorted: Int32Array;

  constructor(
    private readonly train: Csr,
    maxBitsetCells = MAX_BITSET_CELLS,
  ) {
    this.sorted = sortedRows(train);
    if (train.nRows * train.nCols <= maxBitsetCells) {
      const bits = new Int32Array(Math.ceil((train.nRows * train.nCols) / 32));
      for (let u = 0; u < train.nRows; u++) {
        for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
          const cell = u * train.nCols + train.indices[k];
          bits[cell >>> 5] |= 1 << (cell & 31);
        }
      }
      this.bits = bits;
    }
  }

  has(u: number, j: number): boolean {
    if (this.bits) {
      const cell = u * this.train.nCols + j;
      return ((this.bits[cell >>> 5] >>> (cell & 31)) & 1) === 1;
    }
    return sortedHas(this.sorted, this.train.indptr[u], this.train.indptr[u + 1], j);
  }
}

/** The CSR's indices when every row is sorted, else a copy with each row sorted (membership by binary search). */
function sortedRows(a: Csr): Int32Array {
  for (let r = 0; r < a.nRows; r++) {
    for (let k = a.indptr[r] + 1; k < a.indptr[r + 1]; k++) {
      if (a.indices[k - 1] > a.indices[k]) {
        const out = a.indices.slice();
        for (let q = 0; q < a.nRows; q++) out.subarray(a.indptr[q], a.indptr[q + 1]).sort();
        return out;
      }
    }
  }
  return a.indices;
}

/**
 * rng.int(n) with its rejection limit precomputed: the same draws, without
 * the two float modulos per call (x is a uint32 above the small-integer
 * range, so `%` is a slow fmod; x - floor(x / n) n is exact here since
 * x < 2^32 needs fewer than 53 bits).
 */
export function uniform(rng: Rng, n: number, limit: number): number {
  let x = rng.nextUint32();
  while (x >= limit) x = rng.nextUint32();
  return x - Math.floor(x / n) * n;
}

/**
 * Whether sorted `a[lo..hi)` holds x (CSR rows are sorted). A binary search
 * per draw instead of marking the user's whole row twice per sample: rows
 * are long and negatives are few, so this touches far less memory.
 */
function sortedHas(a: Int32Array, lo: number, hi: number, x: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Whether `a[lo..hi)` holds x: the row's negatives drawn so far (few). */
export function drawn(a: Int32Array, lo: number, hi: number, x: number): boolean {
  for (let i = lo; i < hi; i++) if (a[i] === x) return true;
  return false;
}
