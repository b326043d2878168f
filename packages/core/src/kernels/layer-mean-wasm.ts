import type { Csr } from './csr.js';
import { csrSizes, runSpmm, SEGMENT_BYTES, segmentsFor, writeCsr } from './column-segments.js';
import { spmmChunks } from './spmm-wasm.js';
import { allocate, f32View, getKernels, partsFor, runParts, SPMM_WIDTHS } from './wasm/runtime.js';

/** Each thread gets at least this many multiply-adds of a layer. */
const MIN_WORK_PER_THREAD = 1 << 20;
/** Each thread gets at least this many floats of a layer sum. */
const MIN_FLOATS_PER_THREAD = 1 << 16;

/**
 * (x0 + A x0 + ... + A^L x0) / (L + 1) for a square A, every layer on the
 * WebAssembly SIMD kernels inside wasm memory: A and x0 are copied in once
 * and only the mean comes out (per-layer spmm calls copy A, X and Y each
 * time). LightGCN's propagation and its way back. Float32 throughout, the
 * layers added in order. Undefined when the kernel is unavailable, A is
 * not square or small, or d is not a multiple of 4 (callers then loop).
 */
export function layerMeanWasm(a: Csr, x0: Float32Array, d: number, nLayers: number, segmentBytes = SEGMENT_BYTES): Float32Array | undefined {
  const { nRows, nnz } = a;
  if (nLayers < 1 || nRows !== a.nCols || d % 4 !== 0 || x0.length !== nRows * d || nnz * d < 1 << 14) return undefined;
  const k = getKernels();
  if (!k) return undefined;
  const floats = nRows * d;
  const dB = 4 * d;
  const pos = segmentsFor(a, dB, segmentBytes);
  const ptrs = allocate(k, [...csrSizes(a, pos), 4 * floats, 4 * floats, 4 * floats, 8]);
  if (!ptrs) return undefined;
  const ops = writeCsr(k, a, pos, ptrs);
  const [pAcc, pA, pB, pScale] = ptrs.slice(4);
  f32View(k, pAcc, floats).set(x0);
  const scales = f32View(k, pScale, 2);
  scales[0] = 1;
  scales[1] = 1 / (nLayers + 1);
  const w = SPMM_WIDTHS.find((width) => d % (4 * width) === 0)!;
  const threads = partsFor(nnz * d, MIN_WORK_PER_THREAD);
  const bounds = spmmChunks(a.indptr, threads);
  const sumParts = partsFor(floats, MIN_FLOATS_PER_THREAD);
  const cut = (q: number) => Math.round((floats / 4) * (q / sumParts)) * 16;
  let x = pAcc;
  for (let l = 1; l <= nLayers; l++) {
    const y = l % 2 === 1 ? pA : pB;
    runSpmm(k, `spmm_w${w}`, ops, x, dB, y, bounds, threads);
    const sc = pScale + (l === nLayers ? 4 : 0);
    runParts(k, 'add_scale', Array.from({ length: sumParts }, (_, q) => [pAcc, y, sc, cut(q), cut(q + 1)]));
    x = y;
  }
  return f32View(k, pAcc, floats).slice();
}
