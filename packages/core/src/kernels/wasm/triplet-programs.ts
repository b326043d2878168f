import { Body, I32, V128, type FuncDef } from './assembler.js';

/** Row offsets uo, po, no (bytes) of batch row b: table row id times dB. */
function tripletOffsets(b: Body, ids: { users: number; pos: number; neg: number }, row: number, dB: number, out: { uo: number; po: number; no: number }): void {
  for (const [id, o] of [[ids.users, out.uo], [ids.pos, out.po], [ids.neg, out.no]] as const) {
    b.get(id).get(row).i32(2).op('shl').op('add').loadI32(0).get(dB).op('mul').set(o);
  }
}

/** The f32x4 at byte c of the user row (U + uo) and the positive and negative rows (I + po, I + no). */
function loadTriplet(b: Body, p: { U: number; I: number }, c: number, at: { uo: number; po: number; no: number }, out: { u: number; pv: number; nv: number }): void {
  for (const [table, o, v] of [[p.U, at.uo, out.u], [p.I, at.po, out.pv], [p.I, at.no, out.nv]] as const) b.get(table).get(o).op('add').get(c).op('add').simd('load').set(v);
}

/**
 * triplet_dots(U, I, users, pos, neg, dB, out, b0, b1): for batch rows
 * [b0, b1), lane-wise partial sums of u . p, u . n and |u|^2 + |p|^2 + |n|^2
 * (u = U row users[b], p, n = I rows pos[b], neg[b], dB bytes each, a
 * multiple of 16) as three f32x4 at out + 48 b; the caller adds the lanes.
 */
export function tripletDotsProgram(): FuncDef {
  const p = { U: 0, I: 1, users: 2, pos: 3, neg: 4, dB: 5, out: 6, b0: 7, b1: 8 };
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [row, c, uo, po, no, o] = [b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32)];
  const [u, pv, nv, aP, aN, aS] = [b.local(V128), b.local(V128), b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  const mulAdd = (acc: number, x: number, y: number) => b.get(acc).get(x).get(y).simd('f32x4_mul').simd('f32x4_add').set(acc);
  b.get(p.b0).set(row);
  b.block().loop();
  {
    b.get(row).get(p.b1).op('ge_u').brIf(1);
    tripletOffsets(b, p, row, p.dB, { uo, po, no });
    b.zero().set(aP).zero().set(aN).zero().set(aS);
    b.i32(0).set(c);
    b.block().loop();
    {
      b.get(c).get(p.dB).op('ge_u').brIf(1);
      loadTriplet(b, p, c, { uo, po, no }, { u, pv, nv });
      mulAdd(aP, u, pv);
      mulAdd(aN, u, nv);
      mulAdd(aS, u, u);
      mulAdd(aS, pv, pv);
      mulAdd(aS, nv, nv);
      b.addTo(c, 16).br(0);
    }
    b.end().end();
    b.get(p.out).get(row).i32(48).op('mul').op('add').set(o);
    b.get(o).get(aP).simd('store', 0).get(o).get(aN).simd('store', 16).get(o).get(aS).simd('store', 32);
    b.addTo(row, 1).br(0);
  }
  b.end().end();
  return { name: 'triplet_dots', params: b.params, results: [], body: b };
}

/**
 * triplet_grad(U, I, dU, dI, users, pos, neg, coef, rp, dB, b0, b1): for
 * batch rows [b0, b1) in order, with g = coef[b] and r = f32 at rp:
 * dU row users[b] += g (n - p) + r u; dI row pos[b] += r p - g u;
 * dI row neg[b] += g u + r n (the BPR pair gradient plus r times each row).
 * One thread: rows of different b may coincide.
 */
export function tripletGradProgram(): FuncDef {
  const p = { U: 0, I: 1, dU: 2, dI: 3, users: 4, pos: 5, neg: 6, coef: 7, rp: 8, dB: 9, b0: 10, b1: 11 };
  const b = new Body(Array.from({ length: 12 }, () => I32));
  const [row, c, uo, po, no, a] = [b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32)];
  const [u, pv, nv, g, r, gu] = [b.local(V128), b.local(V128), b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  const addAt = (base: number, off: number) => b.get(base).get(off).op('add').get(c).op('add').set(a);
  b.get(p.rp).simd('load32_splat').set(r);
  b.get(p.b0).set(row);
  b.block().loop();
  {
    b.get(row).get(p.b1).op('ge_u').brIf(1);
    tripletOffsets(b, p, row, p.dB, { uo, po, no });
    b.get(p.coef).get(row).i32(2).op('shl').op('add').simd('load32_splat').set(g);
    b.i32(0).set(c);
    b.block().loop();
    {
      b.get(c).get(p.dB).op('ge_u').brIf(1);
      loadTriplet(b, p, c, { uo, po, no }, { u, pv, nv });
      b.get(g).get(u).simd('f32x4_mul').set(gu);
      // dU += g (n - p) + r u
      addAt(p.dU, uo);
      b.get(a).get(a).simd('load').get(g).get(nv).get(pv).simd('f32x4_sub').simd('f32x4_mul').get(r).get(u).simd('f32x4_mul').simd('f32x4_add').simd('f32x4_add').simd('store');
      // dP += r p - g u
      addAt(p.dI, po);
      b.get(a).get(a).simd('load').get(r).get(pv).simd('f32x4_mul').get(gu).simd('f32x4_sub').simd('f32x4_add').simd('store');
      // dN += g u + r n
      addAt(p.dI, no);
      b.get(a).get(a).simd('load').get(gu).get(r).get(nv).simd('f32x4_mul').simd('f32x4_add').simd('f32x4_add').simd('store');
      b.addTo(c, 16).br(0);
    }
    b.end().end();
    b.addTo(row, 1).br(0);
  }
  b.end().end();
  return { name: 'triplet_grad', params: b.params, results: [], body: b };
}
