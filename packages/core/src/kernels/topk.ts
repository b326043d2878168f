import { LmrecError } from '../errors.js';
import type { Csr } from './csr.js';
import { heapDrain, heapPush, heapReplaceRoot } from './heap.js';

export interface TopKResult {
  /** [rows * k] item ids, best first; -1 where a row had fewer than k candidates. */
  ids: Int32Array;
  /** [rows * k] scores matching `ids` (-Infinity where id = -1). */
  scores: Float32Array;
  k: number;
}

export interface TopKOptions {
  /** Ids to exclude per row: row r of the block uses `exclude.row(rowIds[r])`. */
  exclude?: Csr;
  /** Which mask row each block row is (defaults to 0..rows-1). */
  rowIds?: Int32Array;
}

/**
 * Top-K of each row of a score block [rows, nCols], skipping excluded ids.
 * Ties are broken by lower id, so results do not depend on the kernel.
 * NaN scores rank below every number.
 */
export function topKBlock(scores: Float32Array, rows: number, nCols: number, k: number, options: TopKOptions = {}): TopKResult {
  if (scores.length < rows * nCols) {
    throw new LmrecError('E_SHAPE', `topKBlock: ${scores.length} scores for ${rows} x ${nCols}`);
  }
  const ids = new Int32Array(rows * k).fill(-1);
  const vals = new Float32Array(rows * k).fill(-Infinity);
  const heapS = new Float32Array(k);
  const heapI = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    const maskRow = options.exclude ? options.exclude.row(options.rowIds ? options.rowIds[r] : r) : undefined;
    const maskLen = maskRow ? maskRow.length : 0;
    let m = 0; // next excluded id pointer (mask rows are sorted)
    const masked = (j: number): boolean => {
      while (m < maskLen && maskRow![m] < j) m++;
      return m < maskLen && maskRow![m] === j;
    };
    let size = 0;
    const base = r * nCols;
    let j = 0;
    for (; j < nCols && size < k; j++) {
      if (masked(j)) continue;
      let s = scores[base + j];
      if (s !== s) s = -Infinity;
      size = heapPush(heapS, heapI, 0, size, s, j);
    }
    if (size === k && k > 0) {
      // Ids only grow from here, so a tie with the worst kept entry loses:
      // only strictly greater scores enter (NaN never does).
      let thr = heapS[0];
      for (; j < nCols; j++) {
        const s = scores[base + j];
        if (s > thr && !masked(j)) {
          heapReplaceRoot(heapS, heapI, 0, size, s, j);
          thr = heapS[0];
        }
      }
    }
    heapDrain(heapS, heapI, 0, size, ids, vals, r * k);
  }
  return { ids, scores: vals, k };
}
