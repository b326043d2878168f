import { Body, I32, V128, type FuncDef } from './assembler.js';

/**
 * spmm_w{W}(starts, ends, indices, values, x, dBytes, y, accumulate 0 | 1, r0, r1):
 * rows [r0, r1) of Y = A X, X and Y row-major with dBytes per row (a multiple
 * of 16 W); row i's non-zeros are k in [starts[i], ends[i]) (starts = indptr,
 * ends = indptr + 1 for a whole CSR). With accumulate != 0 the sums continue
 * from Y's row (rows without non-zeros are left alone), so running the
 * column ranges of sorted rows one after the other gives the whole product
 * bit for bit. Each pass over a row's non-zeros keeps W vectors (4 W
 * columns) of the output row in registers.
 */
export function spmmProgram(w: number): FuncDef {
  const p = { starts: 0, ends: 1, indices: 2, values: 3, x: 4, dB: 5, y: 6, accumulate: 7, r0: 8, r1: 9 };
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const i = b.local(I32);
  const k = b.local(I32);
  const kb = b.local(I32);
  const ke = b.local(I32);
  const cb = b.local(I32);
  const yo = b.local(I32);
  const xo = b.local(I32);
  const vs = b.local(V128);
  const acc = Array.from({ length: w }, () => b.local(V128));

  b.get(p.r0).set(i);
  b.block().loop();
  {
    b.get(i).get(p.r1).op('ge_u').brIf(1);
    b.get(p.starts).get(i).i32(2).op('shl').op('add').loadI32(0).set(kb);
    b.get(p.ends).get(i).i32(2).op('shl').op('add').loadI32(0).set(ke);
    b.get(p.y).get(i).get(p.dB).op('mul').op('add').set(yo);
    // accumulate and nothing to add: skip the row (cb = dB ends its column loop at once)
    b.get(p.dB).i32(0).get(p.accumulate).get(kb).get(ke).op('eq').op('and').select().set(cb);
    b.block().loop();
    {
      b.get(cb).get(p.dB).op('ge_u').brIf(1);
      b.get(p.accumulate).if();
      b.get(yo).get(cb).op('add').set(xo);
      acc.forEach((a, j) => b.get(xo).simd('load', 16 * j).set(a));
      b.else();
      for (const a of acc) b.zero().set(a);
      b.end();
      b.get(kb).set(k);
      b.block().loop();
      {
        b.get(k).get(ke).op('ge_u').brIf(1);
        // xo = x + indices[k] * dB + cb
        b.get(p.indices).get(k).i32(2).op('shl').op('add').loadI32(0).get(p.dB).op('mul').get(p.x).op('add').get(cb).op('add').set(xo);
        b.get(p.values).get(k).i32(2).op('shl').op('add').simd('load32_splat').set(vs);
        acc.forEach((a, j) => {
          b.get(a).get(vs).get(xo).simd('load', 16 * j).simd('f32x4_mul').simd('f32x4_add').set(a);
        });
        b.addTo(k, 1).br(0);
      }
      b.end().end();
      b.get(yo).get(cb).op('add').set(xo);
      acc.forEach((a, j) => {
        b.get(xo).get(a).simd('store', 16 * j);
      });
      b.addTo(cb, 16 * w).br(0);
    }
    b.end().end();
    b.addTo(i, 1).br(0);
  }
  b.end().end();
  return { name: `spmm_w${w}`, params: b.params, results: [], body: b };
}

/** Slots of the f32 scalar block `adam` reads (one per update, shared by the threads). */
export const ADAM_SCALARS = ['scale', 'l2', 'decay', 'beta1', 'c1', 'beta2', 'c2', 'bc2Sqrt', 'epsilon', 'stepSize'] as const;

/**
 * adam(p, g, m, v, sc, i0B, i1B): one Adam / AdamW update of the floats in
 * bytes [i0B, i1B) (multiples of 16) of p, m, v in place, with the f32
 * scalars at sc (ADAM_SCALARS order). Float32 lane ops in the order of the
 * optimiser's tfjs ops: g = g scale + p l2; p = p decay; m = m b1 + g c1;
 * v = v b2 + g g c2; p = p - m / (sqrt(v) / bc2Sqrt + eps) stepSize.
 */
export function adamProgram(): FuncDef {
  const p = { p: 0, g: 1, m: 2, v: 3, sc: 4, i0: 5, i1: 6 };
  const b = new Body([I32, I32, I32, I32, I32, I32, I32]);
  const i = b.local(I32);
  const s = Object.fromEntries(ADAM_SCALARS.map((name) => [name, b.local(V128)])) as Record<(typeof ADAM_SCALARS)[number], number>;
  const [g, pv, mv, vv] = [b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  ADAM_SCALARS.forEach((name, k) => b.get(p.sc).simd('load32_splat', 4 * k).set(s[name]));
  const at = (base: number) => b.get(base).get(i).op('add');
  b.get(p.i0).set(i);
  b.block().loop();
  {
    b.get(i).get(p.i1).op('ge_u').brIf(1);
    at(p.p).simd('load').set(pv);
    at(p.g).simd('load').get(s.scale).simd('f32x4_mul').get(pv).get(s.l2).simd('f32x4_mul').simd('f32x4_add').set(g);
    b.get(pv).get(s.decay).simd('f32x4_mul').set(pv);
    at(p.m).simd('load').get(s.beta1).simd('f32x4_mul').get(g).get(s.c1).simd('f32x4_mul').simd('f32x4_add').set(mv);
    at(p.v).simd('load').get(s.beta2).simd('f32x4_mul').get(g).get(g).simd('f32x4_mul').get(s.c2).simd('f32x4_mul').simd('f32x4_add').set(vv);
    at(p.m).get(mv).simd('store');
    at(p.v).get(vv).simd('store');
    // p - m / (sqrt(v) / bc2Sqrt + eps) * stepSize
    at(p.p).get(pv).get(mv).get(vv).simd('f32x4_sqrt').get(s.bc2Sqrt).simd('f32x4_div').get(s.epsilon).simd('f32x4_add').simd('f32x4_div');
    b.get(s.stepSize).simd('f32x4_mul').simd('f32x4_sub').simd('store');
    b.addTo(i, 16).br(0);
  }
  b.end().end();
  return { name: 'adam', params: b.params, results: [], body: b };
}

/** add_scale(acc, y, sc, i0B, i1B): acc = (acc + y) * f32 at sc over bytes [i0B, i1B) (multiples of 16); a layer sum step. */
export function addScaleProgram(): FuncDef {
  const p = { acc: 0, y: 1, sc: 2, i0: 3, i1: 4 };
  const b = new Body([I32, I32, I32, I32, I32]);
  const i = b.local(I32);
  const a = b.local(I32);
  const s = b.local(V128);
  b.get(p.sc).simd('load32_splat').set(s);
  b.get(p.i0).set(i);
  b.block().loop();
  {
    b.get(i).get(p.i1).op('ge_u').brIf(1);
    b.get(p.acc).get(i).op('add').set(a);
    b.get(a).get(a).simd('load').get(p.y).get(i).op('add').simd('load').simd('f32x4_add').get(s).simd('f32x4_mul').simd('store');
    b.addTo(i, 16).br(0);
  }
  b.end().end();
  return { name: 'add_scale', params: b.params, results: [], body: b };
}
