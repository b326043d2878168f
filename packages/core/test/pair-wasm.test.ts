import { afterAll, describe, expect, it } from 'vitest';
import { kernelSettings, kernelStats, pairStepWasm, Rng, setKernelSettings } from '../src/index.js';

/** The kernel's contract in plain float64 loops. */
function reference(U: Float32Array, I: Float32Array, dU: Float32Array, dI: Float32Array, d: number, rows: Int32Array, cols: Int32Array, width: number, weight: (e: number, s: number) => number): number[] {
  const scores: number[] = [];
  for (let b = 0; b < rows.length; b++) {
    for (let c = 0; c < width; c++) {
      const e = b * width + c;
      const [u, i] = [rows[b] * d, cols[e] * d];
      let s = 0;
      for (let t = 0; t < d; t++) s += U[u + t] * I[i + t];
      scores.push(s);
      const g = weight(e, s);
      for (let t = 0; t < d; t++) {
        dU[u + t] += g * I[i + t];
        dI[i + t] += g * U[u + t];
      }
    }
  }
  return scores;
}

describe('pairStepWasm (gathered pair scores and their gradient on SIMD kernels)', () => {
  const previous = kernelSettings();
  afterAll(() => setKernelSettings({ wasm: previous.wasm, threads: previous.threads }));
  // few rows, many pairs: rows and columns repeat within and across batch rows
  const [nU, nI, d, B, width] = [40, 90, 16, 2000, 17]; // 544k multiply-adds: two parts at 2 threads
  const rng = new Rng(5);
  const rows = Int32Array.from({ length: B }, () => rng.int(nU));
  const cols = Int32Array.from({ length: B * width }, () => rng.int(nI));
  const table = (n: number) => Float32Array.from({ length: n * d }, () => rng.normal() * 0.3);
  const U = table(nU);
  const I = table(nI);
  const weight = (e: number, s: number) => (e % 5) * 1e-3 + 0.01 * Math.tanh(s);
  const run = (threads: number) => {
    setKernelSettings({ wasm: true, threads });
    const grads = { users: new Float32Array(nU * d).fill(0.5), items: new Float32Array(nI * d).fill(-0.25) };
    let seen: number[] = [];
    const ok = pairStepWasm({ users: U, items: I }, grads, d, { rows, cols, width }, (s, g) => {
      seen = Array.from(s);
      for (let e = 0; e < s.length; e++) g[e] = weight(e, s[e]);
    });
    return { ok, grads, seen };
  };

  for (const threads of [1, 2]) {
    it(`equals the float64 loops (1e-5) and adds into the given gradients, ${threads} thread(s)`, () => {
      if (!kernelSettings().wasmAvailable) return;
      const want = { users: new Float32Array(nU * d).fill(0.5), items: new Float32Array(nI * d).fill(-0.25) };
      const scores = reference(U, I, want.users, want.items, d, rows, cols, width, weight);
      const calls = kernelStats().kernelCalls;
      const { ok, grads, seen } = run(threads);
      expect(ok).toBe(true);
      expect(kernelStats().kernelCalls - calls).toBe(3 * threads); // three passes, each split over the threads
      expect(seen).toHaveLength(B * width);
      seen.forEach((x, i) => expect(Math.abs(x - scores[i])).toBeLessThan(1e-5));
      grads.users.forEach((x, i) => expect(Math.abs(x - want.users[i])).toBeLessThan(1e-5));
      grads.items.forEach((x, i) => expect(Math.abs(x - want.items[i])).toBeLessThan(1e-5));
    });
  }

  it('gives the same bits with 1 and 2 threads (each row summed in pair order)', () => {
    if (!kernelSettings().wasmAvailable) return;
    const one = run(1);
    const two = run(2);
    expect(Array.from(two.grads.users)).toEqual(Array.from(one.grads.users));
    expect(Array.from(two.grads.items)).toEqual(Array.from(one.grads.items));
  });

  it('declines a dim that is not a multiple of 4, or pairs that do not fill the batch (nothing touched)', () => {
    const g = { users: new Float32Array(nU * 3), items: new Float32Array(nI * 3) };
    const never = () => {
      throw new Error('called');
    };
    expect(pairStepWasm({ users: new Float32Array(nU * 3), items: new Float32Array(nI * 3) }, g, 3, { rows, cols, width }, never)).toBe(false);
    expect(pairStepWasm({ users: U, items: I }, { users: new Float32Array(nU * d), items: new Float32Array(nI * d) }, d, { rows, cols: cols.subarray(1), width }, never)).toBe(false);
    expect(g.users.every((x) => x === 0)).toBe(true);
  });
});
