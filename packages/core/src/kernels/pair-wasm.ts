import { allocate, f32View, getKernels, i32View, partsFor, runParts } from './wasm/runtime.js';

/** Row tables [rows * dim], row-major. */
export interface PairTables {
  users: Float32Array;
  items: Float32Array;
}

/** Batch row b pairs users row `rows[b]` with the `width` items rows `cols[b * width ..)`. */
export interface Pairs {
  rows: Int32Array;
  cols: Int32Array;
  width: number;
}

/** Each thread gets at least this many pair multiply-adds (pairs x dim). */
const MIN_WORK_PER_THREAD = 1 << 18;

/**
 * A contrastive step over gathered pairs on the WebAssembly SIMD kernels:
 * scores[e] = users[rows[b]] . items[cols[e]] (float32 lanes) for every pair
 * e = b width + c; `coef(scores, g)` writes each pair's weight g[e] (the
 * loss's host part, e.g. a softmax); then grads.users row rows[b] +=
 * sum_c g[e] items[cols[e]] and grads.items row cols[e] += g[e]
 * users[rows[b]], each row's terms added in pair order (the same result
 * for any thread count). Returns false (nothing called, grads untouched)
 * when the kernel is unavailable, dim is not a multiple of 4 or the tables
 * do not fit.
 */
export function pairStepWasm(tables: PairTables, grads: PairTables, dim: number, pairs: Pairs, coef: (scores: Float32Array, g: Float32Array) => void): boolean {
  const k = getKernels();
  const { rows, cols, width } = pairs;
  const B = rows.length;
  if (!k || dim % 4 !== 0 || cols.length !== B * width) return false;
  const n = cols.length;
  const nU = tables.users.length;
  const nI = tables.items.length;
  const ptrs = allocate(k, [4 * nU, 4 * nI, 4 * B, 4 * n, 4 * n, 4 * n, 4 * B * dim, 4 * nI]);
  if (!ptrs) return false;
  const [pU, pI, pRows, pCols, pScores, pG, pRowGrad, pdI] = ptrs;
  f32View(k, pU, nU).set(tables.users);
  f32View(k, pI, nI).set(tables.items);
  i32View(k, pRows, B).set(rows);
  i32View(k, pCols, n).set(cols);
  const dB = 4 * dim;
  const head = [pU, pI, pRows, pCols, width, dB];
  const byRow = partsFor(n * dim, MIN_WORK_PER_THREAD);
  const cut = (q: number, parts: number, total: number) => Math.round((total * q) / parts);
  runParts(k, 'pair_dots', Array.from({ length: byRow }, (_, q) => [...head, pScores, cut(q, byRow, B), cut(q + 1, byRow, B)]));
  coef(f32View(k, pScores, n), f32View(k, pG, n));
  runParts(k, 'pair_grad_rows', Array.from({ length: byRow }, (_, q) => [...head, pG, pRowGrad, cut(q, byRow, B), cut(q + 1, byRow, B)]));
  const dI = f32View(k, pdI, nI);
  dI.set(grads.items);
  const itemRows = nI / dim;
  runParts(k, 'pair_grad_cols', Array.from({ length: byRow }, (_, q) => [...head, pG, pdI, cut(q, byRow, itemRows), cut(q + 1, byRow, itemRows), B]));
  grads.items.set(dI);
  addRowGrads(f32View(k, pRowGrad, B * dim), rows, dim, grads.users);
  return true;
}

/** grads row rows[b] += rowGrad row b, in batch order. */
function addRowGrads(rowGrad: Float32Array, rows: Int32Array, dim: number, out: Float32Array): void {
  for (let b = 0; b < rows.length; b++) {
    const o = rows[b] * dim;
    const s = b * dim;
    for (let t = 0; t < dim; t++) out[o + t] += rowGrad[s + t];
  }
}
