import { describe, expect, it } from 'vitest';
import { Csr, kernelSettings, layerMeanWasm, normalizedAdjacency, Rng, setKernelSettings, spmmReference } from '../src/index.js';

/** A random bipartite interaction matrix. */
function interactions(rng: Rng, users: number, items: number, p: number): Csr {
  const indptr = [0];
  const indices: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) if (rng.float() < p) indices.push(i);
    indptr.push(indices.length);
  }
  return new Csr(users, items, Int32Array.from(indptr), Int32Array.from(indices));
}

/** The mean of layers 0..L by the reference spmm, in float64 sums. */
function reference(a: Csr, x0: Float32Array, d: number, L: number): Float64Array {
  const out = Float64Array.from(x0);
  let x = x0;
  for (let l = 1; l <= L; l++) {
    x = spmmReference(a, x, d);
    for (let i = 0; i < out.length; i++) out[i] += x[i];
  }
  return out.map((v) => v / (L + 1));
}

describe('layerMeanWasm (LightGCN layer mean in wasm memory)', () => {
  const rng = new Rng(8);
  const adj = normalizedAdjacency(interactions(rng, 300, 200, 0.05));
  const d = 16;
  const x0 = Float32Array.from({ length: adj.nRows * d }, () => rng.normal());
  for (const [layers, threads] of [[1, 1], [2, 1], [3, 2]] as const) {
    it(`${layers} layer(s), ${threads} thread(s): the reference mean (1e-5)`, () => {
      if (!kernelSettings().wasmAvailable) return;
      setKernelSettings({ wasm: true, threads });
      const got = layerMeanWasm(adj, x0, d, layers)!;
      const want = reference(adj, x0, d, layers);
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
      expect(Math.abs(got[0] - x0[0])).toBeGreaterThan(1e-4); // propagation moved the rows
    });
  }

  it('declines what the kernel does not cover', () => {
    expect(layerMeanWasm(adj, x0, d, 0)).toBeUndefined();
    const x6 = new Float32Array(adj.nRows * 6);
    expect(layerMeanWasm(adj, x6, 6, 2)).toBeUndefined();
    const rect = interactions(rng, 30, 20, 0.5);
    expect(layerMeanWasm(rect, new Float32Array(20 * 16), 16, 2)).toBeUndefined();
  });
});
