import { describe, expect, it } from 'vitest';
import { adamWasm, kernelSettings, kernelStats, Rng, setKernelSettings, type AdamScalars } from '../src/index.js';

const f = Math.fround;

/** The update in float32 op by op, in the kernel's order. */
function reference(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, s: AdamScalars): void {
  for (let i = 0; i < p.length; i++) {
    const gi = f(f(g[i] * f(s.scale)) + f(p[i] * f(s.l2)));
    const pi = f(p[i] * f(s.decay));
    m[i] = f(f(m[i] * f(s.beta1)) + f(gi * f(s.c1)));
    v[i] = f(f(v[i] * f(s.beta2)) + f(f(gi * gi) * f(s.c2)));
    p[i] = f(pi - f(f(m[i] / f(f(f(Math.sqrt(v[i])) / f(s.bc2Sqrt)) + f(s.epsilon))) * f(s.stepSize)));
  }
}

const arrays = (n: number, seed: number) => {
  const rng = new Rng(seed);
  const r = (sc: number) => Float32Array.from({ length: n }, () => rng.normal() * sc);
  return { p: r(1), g: r(0.1), m: r(0.01), v: r(0.001).map((x) => x * x) };
};

describe('adamWasm (the SIMD Adam / AdamW update)', () => {
  const s: AdamScalars = { scale: 0.7, l2: 0.05, decay: 0.999, beta1: 0.9, c1: 0.1, beta2: 0.999, c2: 0.001, bc2Sqrt: 0.05, epsilon: 1e-8, stepSize: 0.01 };
  for (const threads of [1, 2]) {
    it(`equals the float32 reference bit for bit (n not a multiple of 4, ${threads} thread(s))`, () => {
      if (!kernelSettings().wasmAvailable) return;
      setKernelSettings({ wasm: true, threads });
      const n = 140001; // two parts of at least 2^16 floats
      const a = arrays(n, 1);
      const b = arrays(n, 1);
      const before = kernelStats().kernelCalls;
      expect(adamWasm(a.p, a.g, a.m, a.v, s)).toBe(true);
      expect(kernelStats().kernelCalls - before).toBe(threads);
      reference(b.p, b.g, b.m, b.v, s);
      expect(a.p).toEqual(b.p);
      expect(a.m).toEqual(b.m);
      expect(a.v).toEqual(b.v);
      expect(a.p).not.toEqual(arrays(n, 1).p);
    });
  }

  it('declines small arrays and a disabled kernel (arrays untouched)', () => {
    const a = arrays(100, 2);
    expect(adamWasm(a.p, a.g, a.m, a.v, s)).toBe(false);
    expect(a.p).toEqual(arrays(100, 2).p);
    setKernelSettings({ wasm: false });
    const big = arrays(10000, 3);
    expect(adamWasm(big.p, big.g, big.m, big.v, s)).toBe(false);
    setKernelSettings({ wasm: true });
  });
});
