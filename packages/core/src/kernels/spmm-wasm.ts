import { csrSizes, runSpmm, SEGMENT_BYTES, segmentsFor, writeCsr } from './column-segments.js';
import type { Csr } from './csr.js';
import { allocate, f32View, getKernels, partsFor, SPMM_WIDTHS } from './wasm/runtime.js';

/** Below this many multiply-adds the copies into wasm memory cost more than they save. */
const MIN_WORK = 1 << 14;
/** Each thread gets at least this many multiply-adds. */
const MIN_WORK_PER_THREAD = 1 << 20;

/**
 * Y = A X on the WebAssembly SIMD kernel, rows cut into chunks of equal
 * non-zero count that the kernel threads claim as they go, columns into
 * ranges of segmentBytes of X (column-segments.ts) when X is larger.
 * Returns false (and leaves y alone) when the kernel is unavailable or the
 * problem is too small or too large for it.
 */
export function spmmWasm(a: Csr, x: Float32Array, d: number, y: Float32Array, segmentBytes = SEGMENT_BYTES): boolean {
  // X and Y are copied whole into and out of wasm memory: with few non-zeros
  // per row of X and Y (a one-hot row gather) the copies
  // cost more than the plain loop, which only touches the rows it needs.
  if (a.nnz * d < MIN_WORK || a.nnz * 2 < a.nRows + a.nCols) return false;
  const k = getKernels();
  if (!k) return false;
  const dp = Math.ceil(d / 4) * 4;
  const w = SPMM_WIDTHS.find((width) => dp % (4 * width) === 0)!;
  const { nRows, nCols, nnz } = a;
  const pos = segmentsFor(a, dp * 4, segmentBytes);
  const ptrs = allocate(k, [...csrSizes(a, pos), 4 * nCols * dp, 4 * nRows * dp]);
  if (!ptrs) return false;
  const ops = writeCsr(k, a, pos, ptrs);
  const [pX, pY] = ptrs.slice(4);
  copyRows(x, d, f32View(k, pX, nCols * dp), dp, nCols);

  const threads = partsFor(nnz * d, MIN_WORK_PER_THREAD);
  runSpmm(k, `spmm_w${w}`, ops, pX, dp * 4, pY, spmmChunks(a.indptr, threads), threads);
  copyRows(f32View(k, pY, nRows * dp), dp, y, d, nRows);
  return true;
}

function copyRows(src: Float32Array, srcWidth: number, dst: Float32Array, dstWidth: number, rows: number): void {
  if (srcWidth === dstWidth) {
    dst.set(src.subarray(0, rows * srcWidth));
    return;
  }
  const width = Math.min(srcWidth, dstWidth);
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * srcWidth, r * srcWidth + width), r * dstWidth);
}

/** Chunks per thread: enough for the threads to even out rows of uneven cost, few enough to keep claiming cheap. */
const CHUNKS_PER_THREAD = 8;

/** Row boundaries of the chunks `threads` threads claim (one chunk for one thread). */
export function spmmChunks(indptr: Int32Array, threads: number): number[] {
  return splitByNnz(indptr, threads > 1 ? threads * CHUNKS_PER_THREAD : 1);
}

/** Row boundaries [0, ..., nRows] cutting the non-zeros into `parts` near-equal runs. */
export function splitByNnz(indptr: Int32Array, parts: number): number[] {
  const nRows = indptr.length - 1;
  const nnz = indptr[nRows];
  const bounds = [0];
  let r = 0;
  for (let p = 1; p < parts; p++) {
    const target = (nnz * p) / parts;
    while (r < nRows && indptr[r] < target) r++;
    bounds.push(Math.max(r, bounds[bounds.length - 1]));
  }
  bounds.push(nRows);
  return bounds;
}
