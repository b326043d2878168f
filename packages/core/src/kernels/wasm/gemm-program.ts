import { Body, I32, V128, type FuncDef } from './assembler.js';
import { accumulate, storeBlock, type RegisterBlock } from './register-block.js';

/**
 * gemm_r{R}v{V}(a, aRowB, aColB, b, ldbB, nB, k, out, ldoB, g0, g1): for row
 * groups g in [g0, g1) (R rows each), out[i][j] = sum_p A(i, p) B[p][j] for
 * the columns j < nB / 4, A(i, p) read at a + i aRowB + p aColB (bytes), so
 * row-major and transposed A need no packing, and B row-major with ldbB
 * bytes per row. nB is a multiple of 16 V; columns past the real ones read
 * whatever follows in B's row and rows past the real ones whatever follows
 * A: each output depends on its own row and column only, and the panels run
 * right to left so those spare outputs are overwritten by real ones (or land
 * past the end), which lets `out` be the final row-major layout with ldoB =
 * 4 n. The score kernel's R x V register block, B's rows read in place
 * instead of from packed panels.
 */
export function gemmProgram(r: number, v: number): FuncDef {
  const p = { a: 0, aRowB: 1, aColB: 2, b: 3, ldbB: 4, nB: 5, k: 6, out: 7, ldoB: 8, g0: 9, g1: 10 };
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [g, jB, c, ap, bp, ag, og, o] = Array.from({ length: 8 }, () => b.local(I32));
  const rowOff = Array.from({ length: r }, () => b.local(I32));
  const s = b.local(V128);
  const x = Array.from({ length: v }, () => b.local(V128));
  const acc = Array.from({ length: r * v }, () => b.local(V128));
  const blk: RegisterBlock = { r, v, acc, x, s };

  rowOff.forEach((local, q) => b.get(p.aRowB).i32(q).op('mul').set(local));
  b.get(p.g0).set(g);
  b.block().loop();
  {
    b.get(g).get(p.g1).op('ge_u').brIf(1);
    // ag = a + g R aRowB; og = out + g R ldoB
    b.get(p.a).get(g).i32(r).op('mul').get(p.aRowB).op('mul').op('add').set(ag);
    b.get(p.out).get(g).i32(r).op('mul').get(p.ldoB).op('mul').op('add').set(og);
    // panels right to left: the last panel's columns past the row's end spill onto the next row's first columns, which are written after
    b.get(p.nB).set(jB);
    b.block().loop();
    {
      b.get(jB).op('eqz').brIf(1);
      b.get(jB).i32(16 * v).op('sub').set(jB);
      for (const t of acc) b.zero().set(t);
      b.get(p.b).get(jB).op('add').set(bp);
      b.get(ag).set(ap);
      b.get(p.k).set(c);
      b.loop();
      {
        x.forEach((t, i) => b.get(bp).simd('load', 16 * i).set(t));
        accumulate(b, blk, (q) => b.get(ap).get(rowOff[q]).op('add').simd('load32_splat', 0));
        b.addTo(bp, { local: p.ldbB }).addTo(ap, { local: p.aColB });
        b.get(c).i32(1).op('sub').set(c);
        b.get(c).brIf(0);
      }
      b.end();
      b.get(og).get(jB).op('add').set(o);
      storeBlock(b, blk, o, p.ldoB);
      b.br(0);
    }
    b.end().end();
    b.addTo(g, 1).br(0);
  }
  b.end().end();
  return { name: `gemm_r${r}v${v}`, params: b.params, results: [], body: b };
}
