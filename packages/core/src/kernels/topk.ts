import { LmrecError } from '../errors.js';
import { Csr } from './csr.js';

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

/** a ranks above b: higher score, ties to the lower id. */
function better(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa > sb || (sa === sb && ia < ib);
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
    let m = 0; // next excluded id pointer (mask rows are sorted)
    let size = 0;
    const base = r * nCols;
    for (let j = 0; j < nCols; j++) {
      if (maskRow && m < maskRow.length && maskRow[m] === j) {
        m++;
        continue;
      }
      let s = scores[base + j];
      if (s !== s) s = -Infinity;
      if (size < k) {
        // sift up in a min-heap whose root is the worst kept item
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (!better(heapS[p], heapI[p], s, j)) break;
          heapS[c] = heapS[p];
          heapI[c] = heapI[p];
          c = p;
        }
        heapS[c] = s;
        heapI[c] = j;
      } else if (k > 0 && better(s, j, heapS[0], heapI[0])) {
        siftDown(heapS, heapI, size, s, j);
      }
    }
    // pop worst-first into the tail of the output row
    for (let p = size - 1; p >= 0; p--) {
      ids[r * k + p] = heapI[0];
      vals[r * k + p] = heapS[0];
      const lastS = heapS[size - 1];
      const lastI = heapI[size - 1];
      size--;
      if (size > 0) siftDown(heapS, heapI, size, lastS, lastI);
    }
  }
  return { ids, scores: vals, k };
}

function siftDown(heapS: Float32Array, heapI: Int32Array, size: number, s: number, id: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const rgt = l + 1;
    // the child that ranks worse sits nearer the root
    const w = rgt < size && better(heapS[l], heapI[l], heapS[rgt], heapI[rgt]) ? rgt : l;
    if (!better(s, id, heapS[w], heapI[w])) break;
    heapS[c] = heapS[w];
    heapI[c] = heapI[w];
    c = w;
  }
  heapS[c] = s;
  heapI[c] = id;
}
