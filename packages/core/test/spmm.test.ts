import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Csr, initBackend, kernelStats, Rng, setKernelSettings, spmm, spmmOp, spmmReference, tf } from '../src/index.js';
import { maxAbsDiff, randomCoo } from './helpers.js';

/** Y = A X straight from the COO list in float64 (duplicates add up). */
function cooProduct(nRows: number, coo: ReturnType<typeof randomCoo>, x: Float32Array, d: number, weighted = true): Float64Array {
  const y = new Float64Array(nRows * d);
  for (let k = 0; k < coo.rows.length; k++) {
    const v = weighted ? coo.values[k] : 1;
    for (let c = 0; c < d; c++) y[coo.rows[k] * d + c] += v * x[coo.cols[k] * d + c];
  }
  return y;
}

function randomMatrix(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

beforeAll(async () => {
  await initBackend();
});
afterEach(() => {
  setKernelSettings({ wasm: true, threads: 2 });
});

describe('spmm', () => {
  const rng = new Rng(11);
  for (const d of [1, 3, 4, 10, 16, 64]) {
    for (const threads of [1, 2]) {
      it(`matches the COO product (d = ${d}, ${threads} thread(s))`, () => {
        setKernelSettings({ threads });
        const [n, m] = [700, 500];
        const coo = randomCoo(rng, n, m, 40_000);
        const a = Csr.fromCoo(n, m, coo.rows, coo.cols, coo.values);
        const x = randomMatrix(rng, m * d);
        const expected = cooProduct(n, coo, x, d);
        const before = kernelStats();
        expect(maxAbsDiff(spmm(a, x, d), expected)).toBeLessThan(1e-4);
        const after = kernelStats();
        expect(after.kernelCalls).toBeGreaterThan(before.kernelCalls); // the wasm kernel ran
        // big enough products are split over both threads when allowed
        expect(after.workerJobs - before.workerJobs).toBe(threads === 2 && d >= 64 ? 1 : 0);
        expect(maxAbsDiff(spmmReference(a, x, d), expected)).toBeLessThan(1e-4);
      });
    }
  }

  it('treats a pattern without values as ones (duplicates kept once)', () => {
    const coo = randomCoo(rng, 300, 200, 20_000);
    const a = Csr.fromCoo(300, 200, coo.rows, coo.cols);
    const x = randomMatrix(rng, 200 * 16);
    // expected from the distinct pairs only
    const seen = new Set<number>();
    const dedup = { rows: [] as number[], cols: [] as number[] };
    for (let k = 0; k < coo.rows.length; k++) {
      const key = coo.rows[k] * 200 + coo.cols[k];
      if (!seen.has(key)) {
        seen.add(key);
        dedup.rows.push(coo.rows[k]);
        dedup.cols.push(coo.cols[k]);
      }
    }
    const expected = cooProduct(300, { rows: Int32Array.from(dedup.rows), cols: Int32Array.from(dedup.cols), values: new Float32Array(0) }, x, 16, false);
    expect(maxAbsDiff(spmm(a, x, 16), expected)).toBeLessThan(1e-4);
  });

  it('gives the same numbers with the wasm kernel off, and writes into `out`', () => {
    const coo = randomCoo(rng, 400, 400, 30_000);
    const a = Csr.fromCoo(400, 400, coo.rows, coo.cols, coo.values);
    const x = randomMatrix(rng, 400 * 32);
    const fast = spmm(a, x, 32);
    setKernelSettings({ wasm: false });
    const out = new Float32Array(400 * 32).fill(7);
    const slow = spmm(a, x, 32, out);
    expect(slow).toBe(out);
    expect(maxAbsDiff(fast, slow)).toBeLessThan(1e-5);
  });

  it('gathers rows with the plain loop (no whole-matrix copies) and gets them right', () => {
    // a one-hot CSR picking 512 rows of a 20,000-row table, as a row gather through spmm builds
    const ids = Int32Array.from({ length: 512 }, () => rng.int(20_000));
    const indptr = Int32Array.from({ length: 513 }, (_, i) => i);
    const a = new Csr(512, 20_000, indptr, ids);
    const x = randomMatrix(rng, 20_000 * 64);
    const before = kernelStats().kernelCalls;
    const y = spmm(a, x, 64);
    expect(kernelStats().kernelCalls).toBe(before);
    ids.forEach((id, r) => expect(Array.from(y.subarray(r * 64, (r + 1) * 64))).toEqual(Array.from(x.subarray(id * 64, (id + 1) * 64))));
  });

  it('handles empty rows and refuses wrong shapes', () => {
    const a = Csr.fromCoo(3, 2, [0, 2], [1, 0], [2, 5]);
    const y = spmm(a, Float32Array.from([1, 2, 3, 4]), 2);
    expect(Array.from(y)).toEqual([6, 8, 0, 0, 5, 10]);
    expect(() => spmm(a, new Float32Array(5), 2)).toThrow(/X has 5 values, expected 2 x 2/);
  });
});

describe('spmmOp', () => {
  const rng = new Rng(5);
  const [n, m, d] = [60, 45, 8];
  const coo = randomCoo(rng, n, m, 400);
  const a = Csr.fromCoo(n, m, coo.rows, coo.cols, coo.values);
  const dense = a.toDense();
  const x0 = randomMatrix(rng, m * d);
  const w = randomMatrix(rng, n * d);

  /** L(X) = sum(W * tanh(A X)) in float64. */
  function loss(x: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < d; c++) {
        let y = 0;
        for (let j = 0; j < m; j++) y += dense[i * m + j] * x[j * d + c];
        total += w[i * d + c] * Math.tanh(y);
      }
    }
    return total;
  }

  it('forward equals dense A X and tf.grad matches finite differences', () => {
    const before = tf.memory().numTensors;
    const gradTensor = tf.tidy(() => {
      const x = tf.tensor2d(x0, [m, d]);
      const y = spmmOp(a, x);
      const yDense = tf.matMul(tf.tensor2d(dense, [n, m]), x);
      expect(maxAbsDiff(y.dataSync(), yDense.dataSync())).toBeLessThan(1e-5);
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.tensor2d(w, [n, d]), tf.tanh(spmmOp(a, xx as tf.Tensor2D)))));
      return g(x);
    });
    const grad = gradTensor.dataSync().slice();
    gradTensor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const eps = 1e-4;
    for (let t = 0; t < 25; t++) {
      const idx = rng.int(m * d);
      const plus = Float64Array.from(x0);
      const minus = Float64Array.from(x0);
      plus[idx] += eps;
      minus[idx] -= eps;
      const fd = (loss(plus) - loss(minus)) / (2 * eps);
      expect(Math.abs(grad[idx] - fd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
    }
  });

  it('trains inside optimizer.minimize: one SGD step is X - lr * 2 A^T (A X - T)', () => {
    const target = randomMatrix(rng, n * d);
    const x = tf.variable(tf.tensor2d(x0, [m, d]));
    const t = tf.tensor2d(target, [n, d]);
    const lr = 0.01;
    const optimizer = tf.train.sgd(lr);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const prev = x.dataSync().slice();
      const cost = optimizer.minimize(() => tf.sum(tf.square(tf.sub(spmmOp(a, x), t))), true);
      cost?.dispose();
      // expected step in float64 from the dense matrix
      const residual = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < d; c++) {
          let y = 0;
          for (let j = 0; j < m; j++) y += dense[i * m + j] * prev[j * d + c];
          residual[i * d + c] = y - target[i * d + c];
        }
      }
      const expected = new Float64Array(m * d);
      for (let j = 0; j < m; j++) {
        for (let c = 0; c < d; c++) {
          let g = 0;
          for (let i = 0; i < n; i++) g += dense[i * m + j] * residual[i * d + c];
          expected[j * d + c] = prev[j * d + c] - lr * 2 * g;
        }
      }
      expect(maxAbsDiff(x.dataSync(), expected)).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    t.dispose();
    optimizer.dispose();
  });

  it('refuses an X whose row count is not A.nCols', () => {
    const x = tf.zeros([m + 1, d]) as tf.Tensor2D;
    expect(() => spmmOp(a, x)).toThrow(/X has 46 rows, A has 45 columns/);
    x.dispose();
  });
});
