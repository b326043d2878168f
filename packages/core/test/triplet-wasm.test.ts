import { describe, expect, it } from 'vitest';
import { kernelSettings, kernelStats, Rng, setKernelSettings, tripletStepWasm } from '../src/index.js';

/** The kernel's contract in plain float64 loops. */
function reference(U: Float32Array, I: Float32Array, dU: Float32Array, dI: Float32Array, d: number, rows: { users: Int32Array; pos: Int32Array; neg: Int32Array }, r: number, g: (b: number, sp: number, sn: number) => number) {
  const sums: number[] = [];
  for (let b = 0; b < rows.users.length; b++) {
    const [u, p, n] = [rows.users[b] * d, rows.pos[b] * d, rows.neg[b] * d];
    let [sp, sn, sq] = [0, 0, 0];
    for (let t = 0; t < d; t++) {
      sp += U[u + t] * I[p + t];
      sn += U[u + t] * I[n + t];
      sq += U[u + t] ** 2 + I[p + t] ** 2 + I[n + t] ** 2;
    }
    sums.push(sp, sn, sq);
    const c = g(b, sp, sn);
    for (let t = 0; t < d; t++) {
      const [x, y, z] = [U[u + t], I[p + t], I[n + t]];
      dU[u + t] += c * (z - y) + r * x;
      dI[p + t] += r * y - c * x;
      dI[n + t] += c * x + r * z;
    }
  }
  return sums;
}

describe('tripletStepWasm (BPR pair passes on SIMD kernels)', () => {
  const [nU, nI, d, B] = [50, 80, 12, 5000];
  const rng = new Rng(4);
  const rows = (n: number) => Int32Array.from({ length: B }, () => rng.int(n));
  const batch = { users: rows(nU), pos: rows(nI), neg: rows(nI) };
  const table = (n: number) => Float32Array.from({ length: n * d }, () => rng.normal() * 0.3);
  const U = table(nU);
  const I = table(nI);
  const weight = (b: number, sp: number, sn: number) => (b % 7) * 1e-3 + 0.01 * Math.tanh(sn - sp);

  for (const threads of [1, 2]) {
    it(`equals the float64 loops (1e-5) and adds into the given gradients, ${threads} thread(s)`, () => {
      if (!kernelSettings().wasmAvailable) return;
      setKernelSettings({ wasm: true, threads });
      const grads = { users: new Float32Array(nU * d).fill(0.5), items: new Float32Array(nI * d).fill(-0.25) };
      const want = { users: new Float32Array(nU * d).fill(0.5), items: new Float32Array(nI * d).fill(-0.25) };
      const sums = reference(U, I, want.users, want.items, d, batch, 0.02, weight);
      const calls = kernelStats().kernelCalls;
      let seen: number[] = [];
      const ok = tripletStepWasm({ users: U, items: I }, grads, d, batch, 0.02, (s, coef) => {
        seen = Array.from(s);
        for (let b = 0; b < B; b++) coef[b] = weight(b, s[3 * b], s[3 * b + 1]);
      });
      expect(ok).toBe(true);
      expect(kernelStats().kernelCalls - calls).toBe(threads); // the dot pass, split over the threads
      seen.forEach((x, i) => expect(Math.abs(x - sums[i])).toBeLessThan(1e-5));
      grads.users.forEach((x, i) => expect(Math.abs(x - want.users[i])).toBeLessThan(1e-5));
      grads.items.forEach((x, i) => expect(Math.abs(x - want.items[i])).toBeLessThan(1e-5));
    });
  }

  it('declines a dim that is not a multiple of 4 (nothing touched)', () => {
    const g = { users: new Float32Array(nU * 3), items: new Float32Array(nI * 3) };
    expect(tripletStepWasm({ users: new Float32Array(nU * 3), items: new Float32Array(nI * 3) }, g, 3, batch, 0, () => { throw new Error('called'); })).toBe(false);
    expect(g.users.every((x) => x === 0)).toBe(true);
  });
});
