import { Body, I32, V128, type FuncDef } from './assembler.js';

/*
 * Gathered pair products: batch row b pairs row rows[b] of a table U with
 * the K1 rows cols[b K1 .. b K1 + K1) of a table I (both row-major, dB
 * bytes per row, a multiple of 16). A contrastive loss's scores and their
 * gradient, touching only the pairs it needs.
 */

const P = { U: 0, I: 1, rows: 2, cols: 3, K1: 4, dB: 5 };

/** Address of row (i32 id at `idAddr`) in `table`: table + id * dB. */
function rowAt(b: Body, table: number, idAddr: () => void, dB: number): Body {
  idAddr();
  return b.loadI32(0).get(dB).op('mul').get(table).op('add');
}

/** pair_dots(U, I, rows, cols, K1, dB, out, b0, b1): out[b K1 + c] = U[rows[b]] . I[cols[b K1 + c]] (f32) for b in [b0, b1). */
export function pairDotsProgram(): FuncDef {
  const p = { ...P, out: 6, b0: 7, b1: 8 };
  const b = new Body(Array.from({ length: 9 }, () => I32));
  const [row, t, uo, io, e, eEnd] = Array.from({ length: 6 }, () => b.local(I32));
  const acc = b.local(V128);
  b.get(p.b0).set(row);
  b.block().loop();
  {
    b.get(row).get(p.b1).op('ge_u').brIf(1);
    rowAt(b, p.U, () => b.get(p.rows).get(row).i32(2).op('shl').op('add'), p.dB).set(uo);
    b.get(row).get(p.K1).op('mul').set(e);
    b.get(e).get(p.K1).op('add').set(eEnd);
    b.block().loop();
    {
      b.get(e).get(eEnd).op('ge_u').brIf(1);
      rowAt(b, p.I, () => b.get(p.cols).get(e).i32(2).op('shl').op('add'), p.dB).set(io);
      b.zero().set(acc).i32(0).set(t);
      b.block().loop();
      {
        b.get(t).get(p.dB).op('ge_u').brIf(1);
        b.get(acc).get(uo).get(t).op('add').simd('load').get(io).get(t).op('add').simd('load').simd('f32x4_mul').simd('f32x4_add').set(acc);
        b.addTo(t, 16).br(0);
      }
      b.end().end();
      b.get(p.out).get(e).i32(2).op('shl').op('add').laneSum(acc).storeF32(0);
      b.addTo(e, 1).br(0);
    }
    b.end().end();
    b.addTo(row, 1).br(0);
  }
  b.end().end();
  return { name: 'pair_dots', params: b.params, results: [], body: b };
}

/** pair_grad_rows(U, I, rows, cols, K1, dB, g, out, b0, b1): out row b = sum_c g[b K1 + c] I[cols[b K1 + c]] for b in [b0, b1) (U, rows unused: same layout as the other two). */
export function pairGradRowsProgram(): FuncDef {
  const p = { ...P, g: 6, out: 7, b0: 8, b1: 9 };
  const b = new Body(Array.from({ length: 10 }, () => I32));
  const [row, t, oo, io, e, eEnd] = Array.from({ length: 6 }, () => b.local(I32));
  const gs = b.local(V128);
  b.get(p.b0).set(row);
  b.block().loop();
  {
    b.get(row).get(p.b1).op('ge_u').brIf(1);
    b.get(p.out).get(row).get(p.dB).op('mul').op('add').set(oo);
    b.i32(0).set(t);
    b.block().loop();
    {
      b.get(t).get(p.dB).op('ge_u').brIf(1);
      b.get(oo).get(t).op('add').zero().simd('store');
      b.addTo(t, 16).br(0);
    }
    b.end().end();
    b.get(row).get(p.K1).op('mul').set(e);
    b.get(e).get(p.K1).op('add').set(eEnd);
    b.block().loop();
    {
      b.get(e).get(eEnd).op('ge_u').brIf(1);
      rowAt(b, p.I, () => b.get(p.cols).get(e).i32(2).op('shl').op('add'), p.dB).set(io);
      b.get(p.g).get(e).i32(2).op('shl').op('add').simd('load32_splat').set(gs);
      axpyRow(b, oo, io, gs, t, p.dB);
      b.addTo(e, 1).br(0);
    }
    b.end().end();
    b.addTo(row, 1).br(0);
  }
  b.end().end();
  return { name: 'pair_grad_rows', params: b.params, results: [], body: b };
}

/**
 * pair_grad_cols(U, I, rows, cols, K1, dB, g, dI, lo, hi, B): dI row
 * cols[e] += g[e] U[rows[b]] over every pair e = b K1 + c (b < B) whose
 * column is in [lo, hi), in pair order. Threads take disjoint column
 * ranges, so no two write one row and each row's sum is in the same order
 * whatever the thread count.
 */
export function pairGradColsProgram(): FuncDef {
  const p = { ...P, g: 6, dI: 7, lo: 8, hi: 9, B: 10 };
  const b = new Body(Array.from({ length: 11 }, () => I32));
  const [row, t, uo, oo, e, eEnd, j] = Array.from({ length: 7 }, () => b.local(I32));
  const gs = b.local(V128);
  b.i32(0).set(row);
  b.block().loop();
  {
    b.get(row).get(p.B).op('ge_u').brIf(1);
    rowAt(b, p.U, () => b.get(p.rows).get(row).i32(2).op('shl').op('add'), p.dB).set(uo);
    b.get(row).get(p.K1).op('mul').set(e);
    b.get(e).get(p.K1).op('add').set(eEnd);
    b.block().loop();
    {
      b.get(e).get(eEnd).op('ge_u').brIf(1);
      b.get(p.cols).get(e).i32(2).op('shl').op('add').loadI32(0).set(j);
      // lo <= j < hi as one unsigned compare: (j - lo) < (hi - lo)
      b.get(j).get(p.lo).op('sub').get(p.hi).get(p.lo).op('sub').op('lt_u').if();
      {
        b.get(p.dI).get(j).get(p.dB).op('mul').op('add').set(oo);
        b.get(p.g).get(e).i32(2).op('shl').op('add').simd('load32_splat').set(gs);
        axpyRow(b, oo, uo, gs, t, p.dB);
      }
      b.end();
      b.addTo(e, 1).br(0);
    }
    b.end().end();
    b.addTo(row, 1).br(0);
  }
  b.end().end();
  return { name: 'pair_grad_cols', params: b.params, results: [], body: b };
}

/** Row at `dst` += gs * row at `src`, dB bytes (t: a scratch i32 local). */
function axpyRow(b: Body, dst: number, src: number, gs: number, t: number, dB: number): void {
  b.i32(0).set(t);
  b.block().loop();
  {
    b.get(t).get(dB).op('ge_u').brIf(1);
    b.get(dst).get(t).op('add');
    b.get(dst).get(t).op('add').simd('load').get(gs).get(src).get(t).op('add').simd('load').simd('f32x4_mul').simd('f32x4_add');
    b.simd('store');
    b.addTo(t, 16).br(0);
  }
  b.end().end();
}
