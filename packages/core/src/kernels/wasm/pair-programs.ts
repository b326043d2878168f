import { Body, I32, V128, type FuncDef } from './assembler.js';

/*
 * Gathered pair products: batch row b pairs row rows[b] of a table U with
 * the K1 rows cols[b K1 .. b K1 + K1) of a table I (both row-major, dB
 * bytes per row, a multiple of 16). A contrastive loss's scores and their
 * gradient, touching only the pairs it needs.
 */

const P = { U: 0, I: 1, rows: 2, cols: 3, K1: 4, dB: 5 };

/** Address of element `index` (an i32 local) of the 4-byte array at param `base`. */
const at = (b: Body, base: number, index: number) => b.get(base).get(index).i32(2).op('shl').op('add');

/** Address of the table row whose i32 id is element `index` of `ids`: table + ids[index] dB. */
const rowOf = (b: Body, table: number, ids: number, index: number) => at(b, ids, index).loadI32(0).get(P.dB).op('mul').get(table).op('add');

/**
 * Emits: for row from `start` (an i32 local already set) while row < the i32
 * local/param `end`: `onRow()`, then for each pair e of the row: `onPair(e)`.
 */
function rowsAndPairs(b: Body, row: number, end: number, onRow: () => void, onPair: (e: number) => void): void {
  const [e, eEnd] = [b.local(I32), b.local(I32)];
  b.block().loop();
  {
    b.get(row).get(end).op('ge_u').brIf(1);
    onRow();
    b.get(row).get(P.K1).op('mul').set(e);
    b.get(e).get(P.K1).op('add').set(eEnd);
    b.block().loop();
    {
      b.get(e).get(eEnd).op('ge_u').brIf(1);
      onPair(e);
      b.addTo(e, 1).br(0);
    }
    b.end().end();
    b.addTo(row, 1).br(0);
  }
  b.end().end();
}

/** Emits a loop over the bytes t of one row, t += 16, running `body`. */
function overRow(b: Body, t: number, body: () => void): void {
  b.i32(0).set(t);
  b.block().loop();
  {
    b.get(t).get(P.dB).op('ge_u').brIf(1);
    body();
    b.addTo(t, 16).br(0);
  }
  b.end().end();
}

/** Row at `dst` += gs * row at `src` (gs a splatted f32x4 local). */
function axpyRow(b: Body, dst: number, src: number, gs: number, t: number): void {
  overRow(b, t, () => {
    b.get(dst).get(t).op('add');
    b.get(dst).get(t).op('add').simd('load').get(gs).get(src).get(t).op('add').simd('load').simd('f32x4_mul').simd('f32x4_add');
    b.simd('store');
  });
}

/** pair_dots(U, I, rows, cols, K1, dB, out, b0, b1): out[e] = U[rows[b]] . I[cols[e]] (f32, lane sums) for the pairs e of rows b in [b0, b1). */
export function pairDotsProgram(): FuncDef {
  const p = { ...P, out: 6, b0: 7, b1: 8 };
  const b = new Body(Array.from({ length: 9 }, () => I32));
  const [row, t, uo, io] = Array.from({ length: 4 }, () => b.local(I32));
  const acc = b.local(V128);
  b.get(p.b0).set(row);
  rowsAndPairs(
    b,
    row,
    p.b1,
    () => rowOf(b, p.U, p.rows, row).set(uo),
    (e) => {
      rowOf(b, p.I, p.cols, e).set(io);
      b.zero().set(acc);
      overRow(b, t, () => b.get(acc).get(uo).get(t).op('add').simd('load').get(io).get(t).op('add').simd('load').simd('f32x4_mul').simd('f32x4_add').set(acc));
      at(b, p.out, e).laneSum(acc).storeF32(0);
    },
  );
  return { name: 'pair_dots', params: b.params, results: [], body: b };
}

/** pair_grad_rows(U, I, rows, cols, K1, dB, g, out, b0, b1): out row b = sum_c g[e] I[cols[e]] over the pairs e of rows b in [b0, b1), in order. */
export function pairGradRowsProgram(): FuncDef {
  const p = { ...P, g: 6, out: 7, b0: 8, b1: 9 };
  const b = new Body(Array.from({ length: 10 }, () => I32));
  const [row, t, oo, io] = Array.from({ length: 4 }, () => b.local(I32));
  const gs = b.local(V128);
  b.get(p.b0).set(row);
  rowsAndPairs(
    b,
    row,
    p.b1,
    () => {
      b.get(p.out).get(row).get(p.dB).op('mul').op('add').set(oo);
      overRow(b, t, () => b.get(oo).get(t).op('add').zero().simd('store'));
    },
    (e) => {
      rowOf(b, p.I, p.cols, e).set(io);
      at(b, p.g, e).simd('load32_splat').set(gs);
      axpyRow(b, oo, io, gs, t);
    },
  );
  return { name: 'pair_grad_rows', params: b.params, results: [], body: b };
}

/**
 * pair_grad_cols(U, I, rows, cols, K1, dB, g, dI, lo, hi, B): dI row
 * cols[e] += g[e] U[rows[b]] over every pair e of rows b < B whose column
 * is in [lo, hi), in pair order. Threads take disjoint column ranges, so
 * no two write one row and each row's sum is in the same order whatever
 * the thread count.
 */
export function pairGradColsProgram(): FuncDef {
  const p = { ...P, g: 6, dI: 7, lo: 8, hi: 9, B: 10 };
  const b = new Body(Array.from({ length: 11 }, () => I32));
  const [row, t, uo, oo, j] = Array.from({ length: 5 }, () => b.local(I32));
  const gs = b.local(V128);
  b.i32(0).set(row);
  rowsAndPairs(
    b,
    row,
    p.B,
    () => rowOf(b, p.U, p.rows, row).set(uo),
    (e) => {
      at(b, p.cols, e).loadI32(0).set(j);
      // lo <= j < hi as one unsigned compare: (j - lo) < (hi - lo)
      b.get(j).get(p.lo).op('sub').get(p.hi).get(p.lo).op('sub').op('lt_u').if();
      b.get(p.dI).get(j).get(p.dB).op('mul').op('add').set(oo);
      at(b, p.g, e).simd('load32_splat').set(gs);
      axpyRow(b, oo, uo, gs, t);
      b.end();
    },
  );
  return { name: 'pair_grad_cols', params: b.params, results: [], body: b };
}
