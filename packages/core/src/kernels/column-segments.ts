import type { Csr } from './csr.js';
import { f32View, i32View, runChunks, type WasmKernels } from './wasm/runtime.js';

/**
 * Bytes of X one pass of a column-segmented product gathers rows from. A
 * sparse product gathers X rows at random; once X outgrows the caches
 * (LightGCN's embedding table at 10M interactions is 77 MB, this machine's
 * L3 32 MiB) most gathers miss, and splitting the columns into ranges of a
 * few MB, one pass each, was 2-3x faster on such a table. Below twice this
 * size X stays in the cache and the extra passes over Y cost more than
 * they save (an 11.5 MB X: 13 ms cut against 9 ms whole), so it runs whole.
 */
export const SEGMENT_BYTES = 8 << 20;

/**
 * Where each of `segments` equal column ranges starts in every row:
 * pos[s nRows + i] is the first non-zero of row i with column >= the start
 * of range s, and pos[segments nRows + i] the row's end. Undefined when a
 * row's columns are not in ascending order (the product then runs whole).
 */
export function columnSegments(a: Csr, segments: number): Int32Array | undefined {
  const { nRows, nCols, indptr, indices } = a;
  const pos = new Int32Array((segments + 1) * nRows);
  const start = Array.from({ length: segments + 1 }, (_, s) => Math.floor((s * nCols) / segments));
  for (let i = 0; i < nRows; i++) {
    let s = 0;
    let prev = -1;
    pos[i] = indptr[i];
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const c = indices[k];
      if (c < prev) return undefined;
      prev = c;
      while (s + 1 < segments && c >= start[s + 1]) pos[++s * nRows + i] = k;
    }
    while (s < segments) pos[++s * nRows + i] = indptr[i + 1];
  }
  return pos;
}

export interface SpmmOperands {
  pIndptr: number;
  pIndices: number;
  pValues: number;
  /** Address of columnSegments' positions in wasm memory, or undefined for a whole pass. */
  pPos?: number;
  segments: number;
  nRows: number;
}

/** Byte sizes, for `allocate`, of A's regions: indptr, indices, values and the segment positions (0 for a whole pass). */
export function csrSizes(a: Csr, pos?: Int32Array): number[] {
  return [4 * (a.nRows + 1), 4 * a.nnz, 4 * a.nnz, 4 * (pos?.length ?? 0)];
}

/** Copies A (ones for a pattern) and its segment positions into the regions csrSizes laid out (the first four of ptrs). */
export function writeCsr(k: WasmKernels, a: Csr, pos: Int32Array | undefined, ptrs: readonly number[]): SpmmOperands {
  const [pIndptr, pIndices, pValues, pPos] = ptrs;
  i32View(k, pIndptr, a.nRows + 1).set(a.indptr);
  i32View(k, pIndices, a.nnz).set(a.indices);
  const values = f32View(k, pValues, a.nnz);
  if (a.values) values.set(a.values);
  else values.fill(1);
  if (pos) i32View(k, pPos, pos.length).set(pos);
  return { pIndptr, pIndices, pValues, pPos: pos ? pPos : undefined, segments: pos ? pos.length / a.nRows - 1 : 1, nRows: a.nRows };
}

/** A's column segments for X rows of dB bytes: positions when X is over twice segmentBytes, else undefined. */
export function segmentsFor(a: Csr, dB: number, segmentBytes: number): Int32Array | undefined {
  const bytes = a.nCols * dB;
  return bytes > 2 * segmentBytes ? columnSegments(a, Math.ceil(bytes / segmentBytes)) : undefined;
}

/** Y = A X in wasm memory: one pass over whole rows, or one per column range, each accumulating onto the last. */
export function runSpmm(k: WasmKernels, fn: string, a: SpmmOperands, x: number, dB: number, y: number, bounds: number[], threads: number): void {
  if (a.pPos === undefined) {
    runChunks(k, fn, [a.pIndptr, a.pIndptr + 4, a.pIndices, a.pValues, x, dB, y, 0], bounds, threads);
    return;
  }
  for (let s = 0; s < a.segments; s++) {
    const starts = a.pPos + 4 * s * a.nRows;
    runChunks(k, fn, [starts, starts + 4 * a.nRows, a.pIndices, a.pValues, x, dB, y, s > 0 ? 1 : 0], bounds, threads);
  }
}
