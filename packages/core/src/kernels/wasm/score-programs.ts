import { Body, F32, I32, V128, type FuncDef } from './assembler.js';
import { accumulate, storeBlock, type RegisterBlock } from './register-block.js';

/**
 * score_r{R}v{V}(uT, itemsP, j0B, nB, dim, out, ldoB, g0, g1): for user
 * groups g in [g0, g1) (R users each, packed uT[g][c][r]), scores of the item
 * columns [j0B, j0B + nB) bytes into out[g * R + r][...] (ldoB bytes per row).
 * Items come in panels of 4 V (itemsP[j / 4V][c][j % 4V]) so the dim loop
 * reads one contiguous run instead of dim rows far apart (what a BLAS packs
 * B for). nB and j0B are multiples of 16 V. R x V accumulators stay in
 * registers across the dim loop.
 */
export function scoreProgram(r: number, v: number): FuncDef {
  const p = { uT: 0, itemsP: 1, j0B: 2, nB: 3, dim: 4, out: 5, ldoB: 6, g0: 7, g1: 8 };
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const g = b.local(I32);
  const jB = b.local(I32);
  const c = b.local(I32);
  const ip = b.local(I32);
  const up = b.local(I32);
  const ug = b.local(I32);
  const og = b.local(I32);
  const o = b.local(I32);
  const s = b.local(V128);
  const a = Array.from({ length: v }, () => b.local(V128));
  const acc = Array.from({ length: r * v }, () => b.local(V128));
  const blk: RegisterBlock = { r, v, acc, x: a, s };

  b.get(p.g0).set(g);
  b.block().loop();
  {
    b.get(g).get(p.g1).op('ge_u').brIf(1);
    // ug = uT + g * dim * R * 4; og = out + g * R * ldoB
    b.get(p.uT).get(g).get(p.dim).op('mul').i32(4 * r).op('mul').op('add').set(ug);
    b.get(p.out).get(g).i32(r).op('mul').get(p.ldoB).op('mul').op('add').set(og);
    b.i32(0).set(jB);
    b.block().loop();
    {
      b.get(jB).get(p.nB).op('ge_u').brIf(1);
      for (const x of acc) b.zero().set(x);
      // ip = itemsP + (j0B + jB) * dim: the panel of columns j0B + jB.
      b.get(p.itemsP).get(p.j0B).get(jB).op('add').get(p.dim).op('mul').op('add').set(ip);
      b.get(ug).set(up);
      b.get(p.dim).set(c);
      b.loop();
      {
        a.forEach((x, t) => {
          b.get(ip).simd('load', 16 * t).set(x);
        });
        accumulate(b, blk, (q) => b.get(up).simd('load32_splat', 4 * q));
        b.addTo(ip, 16 * v).addTo(up, 4 * r);
        b.get(c).i32(1).op('sub').set(c);
        b.get(c).brIf(0);
      }
      b.end();
      b.get(og).get(jB).op('add').set(o);
      storeBlock(b, blk, o, p.ldoB);
      b.addTo(jB, 16 * v).br(0);
    }
    b.end().end();
    b.addTo(g, 1).br(0);
  }
  b.end().end();
  return { name: `score_r${r}v${v}`, params: b.params, results: [], body: b };
}

/**
 * scan_gt(ptr, i, n, thr) -> the first 16-aligned group start >= i (i a
 * multiple of 16) whose 16 floats hold one > thr, or n when none before n.
 * Reads whole groups: the buffer must be readable up to roundUp(n, 16).
 */
export function scanProgram(): FuncDef {
  const p = { ptr: 0, i: 1, n: 2, thr: 3 };
  const b = new Body([I32, I32, I32, 0x7d]);
  const t = b.local(V128);
  const q = b.local(I32);
  b.get(p.thr).simd('f32x4_splat').set(t);
  b.block().loop();
  {
    b.get(p.i).get(p.n).op('ge_s').brIf(1);
    b.get(p.ptr).get(p.i).i32(2).op('shl').op('add').set(q);
    for (let j = 0; j < 4; j++) {
      b.get(q).simd('load', 16 * j).get(t).simd('f32x4_gt');
      if (j > 0) b.simd('v128_or');
    }
    b.simd('any_true').if().get(p.i).ret().end();
    b.addTo(p.i, 16).br(0);
  }
  b.end().end();
  b.get(p.n);
  return { name: 'scan_gt', params: b.params, results: [I32], body: b };
}

/**
 * filter_gt(scores, ldoB, thr, cand, ldcB, counts, n, r0, r1): for rows r in
 * [r0, r1), the columns j < n with scores[r][j] > thr[r] (f32 at thr + 4 r),
 * in increasing order, as i32 at cand + r ldcB; their count at counts + 4 r.
 * A NaN threshold passes nothing. Groups of 16 are tested with SIMD first,
 * so a row with few winners costs one vector pass; rows are read up to
 * roundUp(n, 16). This lets the kernel threads do the top-K scan of their
 * own rows, leaving the main thread the few candidates.
 */
export function filterProgram(): FuncDef {
  const p = { scores: 0, ldoB: 1, thr: 2, cand: 3, ldcB: 4, counts: 5, n: 6, r0: 7, r1: 8 };
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [r, row, cp, cnt, i, j, e] = [b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32)];
  const t = b.local(F32);
  const tv = b.local(V128);
  b.get(p.r0).set(r);
  b.block().loop();
  {
    b.get(r).get(p.r1).op('ge_u').brIf(1);
    b.get(p.scores).get(r).get(p.ldoB).op('mul').op('add').set(row);
    b.get(p.cand).get(r).get(p.ldcB).op('mul').op('add').set(cp);
    b.get(p.thr).get(r).i32(2).op('shl').op('add').loadF32().set(t);
    b.get(t).simd('f32x4_splat').set(tv);
    b.i32(0).set(cnt).i32(0).set(i);
    b.block().loop();
    {
      b.get(i).get(p.n).op('ge_u').brIf(1);
      b.get(row).get(i).i32(2).op('shl').op('add').set(j);
      for (let q = 0; q < 4; q++) {
        b.get(j).simd('load', 16 * q).get(tv).simd('f32x4_gt');
        if (q > 0) b.simd('v128_or');
      }
      b.simd('any_true').if();
      {
        // e = min(i + 16, n); branch-free append: store j, count it when it passes.
        b.get(i).i32(16).op('add').get(p.n).get(i).i32(16).op('add').get(p.n).op('lt_u').select().set(e);
        b.get(i).set(j);
        b.block().loop();
        {
          b.get(j).get(e).op('ge_u').brIf(1);
          b.get(cp).get(cnt).i32(2).op('shl').op('add').get(j).storeI32();
          b.get(cnt).get(row).get(j).i32(2).op('shl').op('add').loadF32().get(t).f32Gt().op('add').set(cnt);
          b.addTo(j, 1).br(0);
        }
        b.end().end();
      }
      b.end();
      b.addTo(i, 16).br(0);
    }
    b.end().end();
    b.get(p.counts).get(r).i32(2).op('shl').op('add').get(cnt).storeI32();
    b.addTo(r, 1).br(0);
  }
  b.end().end();
  return { name: 'filter_gt', params: b.params, results: [], body: b };
}
