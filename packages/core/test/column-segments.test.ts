import { afterEach, describe, expect, it } from 'vitest';
import { columnSegments } from '../src/kernels/column-segments.js';
import { layerMeanWasm } from '../src/kernels/layer-mean-wasm.js';
import { spmmWasm } from '../src/kernels/spmm-wasm.js';
import { Csr, Rng, setKernelSettings } from '../src/index.js';

const rng = new Rng(11);

/** Positions where two float arrays differ (Object.is, so NaN and -0 count): a short message on failure, not a 100k-element diff. */
const differences = (a: Float32Array, b: Float32Array) => a.reduce((n, v, i) => n + (Object.is(v, b[i]) ? 0 : 1), 0) + Math.abs(a.length - b.length);

/** A random square CSR with sorted rows, some rows empty, weights in (0, 1). */
function randomCsr(n: number, perRow: number): Csr {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 7 === 3) continue;
    for (let t = 0; t < perRow; t++) {
      r.push(i);
      c.push(i % 5 === 1 ? rng.int(n / 10) : rng.int(n)); // some rows only in the first range
      v.push(rng.float());
    }
  }
  return Csr.fromCoo(n, n, r, c, v);
}

afterEach(() => setKernelSettings({ threads: 2 }));

describe('column segments', () => {
  it('finds, per row, where each column range starts (a brute-force count agrees)', () => {
    const a = randomCsr(300, 12);
    const S = 7;
    const pos = columnSegments(a, S)!;
    for (let i = 0; i < a.nRows; i++) {
      for (let s = 0; s <= S; s++) {
        const lo = Math.floor((s * a.nCols) / S);
        const below = Array.from(a.row(i)).filter((col) => col < lo).length;
        expect(pos[s * a.nRows + i]).toBe(s === S ? a.indptr[i + 1] : a.indptr[i] + below);
      }
    }
    const unsorted = new Csr(2, 10, Int32Array.from([0, 2, 3]), Int32Array.from([5, 1, 4]));
    expect(columnSegments(unsorted, 3)).toBeUndefined();
  });

  for (const threads of [1, 2]) {
    it(`spmm and the layer mean give the whole product bit for bit when cut into column ranges (${threads} thread(s))`, () => {
      setKernelSettings({ threads });
      const [n, d] = [2000, 64];
      const a = randomCsr(n, 40);
      const x = Float32Array.from({ length: n * d }, () => rng.normal());
      const whole = new Float32Array(n * d);
      const cut = new Float32Array(n * d).fill(NaN);
      expect(spmmWasm(a, x, d, whole, Infinity)).toBe(true);
      // 2000 rows x 256 B = 512 kB of X: 60 kB ranges make 9 of them
      expect(spmmWasm(a, x, d, cut, 60_000)).toBe(true);
      expect(differences(cut, whole)).toBe(0);
      expect(whole.some((v) => v !== 0)).toBe(true);
      expect(differences(layerMeanWasm(a, x, d, 3, 60_000)!, layerMeanWasm(a, x, d, 3, Infinity)!)).toBe(0);
    });
  }

  it('runs an unsorted CSR whole instead of cutting it', () => {
    const [n, d] = [600, 32];
    const a = randomCsr(n, 30);
    // reverse every row: the same matrix, columns descending
    const indices = a.indices.slice();
    const values = a.values!.slice();
    for (let i = 0; i < n; i++) {
      indices.subarray(a.indptr[i], a.indptr[i + 1]).reverse();
      values.subarray(a.indptr[i], a.indptr[i + 1]).reverse();
    }
    const b = new Csr(n, n, a.indptr, indices, values);
    const x = Float32Array.from({ length: n * d }, () => rng.normal());
    const expected = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let k = b.indptr[i]; k < b.indptr[i + 1]; k++) for (let t = 0; t < d; t++) expected[i * d + t] = Math.fround(expected[i * d + t] + Math.fround(values[k] * x[indices[k] * d + t]));
    const got = new Float32Array(n * d);
    expect(spmmWasm(b, x, d, got, 4_000)).toBe(true);
    expect(differences(got, expected)).toBe(0);
  });
});
