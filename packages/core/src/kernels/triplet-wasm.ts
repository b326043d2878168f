import { allocate, f32View, getKernels, i32View, partsFor, runParts } from './wasm/runtime.js';

/** A pair of row tables [rows * dim]: users and items. */
export interface TripletTables {
  users: Float32Array;
  items: Float32Array;
}

/** Batch rows: user, positive item, negative item ids (one negative per row). */
export interface Triplets {
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
}

/** Each thread gets at least this many rows of the dot pass. */
const MIN_ROWS_PER_THREAD = 2048;

/**
 * The two table passes of a one-negative BPR step on the WebAssembly SIMD
 * kernels. First, per row b, sums[3b..3b+3) = (u . p, u . n, |u|^2 + |p|^2
 * + |n|^2) in float32 lanes (threads split the rows); `coef(sums, out)`
 * then writes each row's pair weight g_b (the loss's host part); then, in
 * row order, grad.users row u += g (n - p) + r u, grad.items row p += r p -
 * g u, row n += g u + r n. Returns false (grads untouched, `coef` not
 * called) when the kernel is unavailable or dim is not a multiple of 4.
 */
export function tripletStepWasm(tables: TripletTables, grads: TripletTables, dim: number, rows: Triplets, r: number, coef: (sums: Float64Array, out: Float32Array) => void): boolean {
  const k = getKernels();
  if (!k || dim % 4 !== 0 || rows.neg.length !== rows.users.length) return false;
  const B = rows.users.length;
  const nU = tables.users.length;
  const nI = tables.items.length;
  const ptrs = allocate(k, [4 * nU, 4 * nI, 4 * nU, 4 * nI, 4 * B, 4 * B, 4 * B, 48 * B, 4 * B, 4]);
  if (!ptrs) return false;
  const [pU, pI, pdU, pdI, pUsers, pPos, pNeg, pOut, pCoef, pR] = ptrs;
  f32View(k, pU, nU).set(tables.users);
  f32View(k, pI, nI).set(tables.items);
  f32View(k, pdU, nU).set(grads.users);
  f32View(k, pdI, nI).set(grads.items);
  i32View(k, pUsers, B).set(rows.users);
  i32View(k, pPos, B).set(rows.pos);
  i32View(k, pNeg, B).set(rows.neg);
  f32View(k, pR, 1)[0] = r;
  const dB = 4 * dim;
  const parts = partsFor(B, MIN_ROWS_PER_THREAD);
  const cut = (q: number) => Math.round((B * q) / parts);
  runParts(k, 'triplet_dots', Array.from({ length: parts }, (_, q) => [pU, pI, pUsers, pPos, pNeg, dB, pOut, cut(q), cut(q + 1)]));
  coef(laneSums(f32View(k, pOut, 12 * B), B), f32View(k, pCoef, B));
  k.fns.triplet_grad(pU, pI, pdU, pdI, pUsers, pPos, pNeg, pCoef, pR, dB, 0, B);
  grads.users.set(f32View(k, pdU, nU));
  grads.items.set(f32View(k, pdI, nI));
  return true;
}

/** The three 4-lane partial sums per row, added up. */
function laneSums(lanes: Float32Array, B: number): Float64Array {
  const out = new Float64Array(3 * B);
  for (let i = 0; i < 3 * B; i++) {
    const o = 4 * i;
    out[i] = lanes[o] + lanes[o + 1] + lanes[o + 2] + lanes[o + 3];
  }
  return out;
}
