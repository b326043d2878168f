import type { Body } from './assembler.js';

/**
 * The R x V register block the score and GEMM kernels share: R row scalars
 * times V vectors of 4 columns, accumulated in R V v128 locals (acc[q V + t]).
 */
export interface RegisterBlock {
  r: number;
  v: number;
  acc: number[];
  /** The V column vectors of the current k step. */
  x: number[];
  /** The splat row scalar. */
  s: number;
}

/** acc[q][t] += s_q x[t] for every q, with s_q pushed by `loadRow(q)` (a 32-bit splat load). */
export function accumulate(b: Body, blk: RegisterBlock, loadRow: (q: number) => void): void {
  for (let q = 0; q < blk.r; q++) {
    loadRow(q);
    b.set(blk.s);
    for (let t = 0; t < blk.v; t++) {
      const y = blk.acc[q * blk.v + t];
      b.get(y).get(blk.s).get(blk.x[t]).simd('f32x4_mul').simd('f32x4_add').set(y);
    }
  }
}

/** Stores the block's R rows at o, o + ldo, ... (ldo a local holding bytes per row); o moves. */
export function storeBlock(b: Body, blk: RegisterBlock, o: number, ldo: number): void {
  for (let q = 0; q < blk.r; q++) {
    for (let t = 0; t < blk.v; t++) b.get(o).get(blk.acc[q * blk.v + t]).simd('store', 16 * t);
    if (q + 1 < blk.r) b.addTo(o, { local: ldo });
  }
}
