import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchMatMul, initBackend, LmrecError, Rng, setKernelSettings, tf } from '../src/index.js';
import { bmmWasm } from '../src/kernels/bmm-wasm.js';

beforeAll(async () => {
  await initBackend();
});
afterEach(() => {
  setKernelSettings({ wasm: true });
});

const rng = new Rng(5);
const random = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

/** op(A[t]) op(B[t]) in float64, straight from the definition. */
function reference(a: Float32Array, b: Float32Array, s: { batch: number; m: number; k: number; n: number; tA: boolean; tB: boolean; aShared?: boolean; bShared?: boolean }): Float64Array {
  const { batch, m, k, n, tA, tB } = s;
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ab = s.aShared ? 0 : t * m * k;
    const bb = s.bShared ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[ab + (tA ? p * m + i : i * k + p)] * b[bb + (tB ? j * k + p : p * n + j)];
        out[(t * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  return worst;
}

describe('bmmWasm', () => {
  // ragged sizes: m not a multiple of the kernel's 4-row groups, n not of its 8-column panels, k = 1
  const cases = [
    { batch: 3, m: 5, k: 7, n: 9 },
    { batch: 2, m: 1, k: 1, n: 1 },
    { batch: 4, m: 50, k: 32, n: 50 },
    { batch: 1, m: 17, k: 64, n: 33 },
  ];
  for (const c of cases) {
    for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]]) {
      it(`matches the definition: ${c.batch} x [${c.m} x ${c.k}] [${c.k} x ${c.n}], transposeA ${tA}, transposeB ${tB}`, () => {
        const a = random(c.batch * c.m * c.k);
        const b = random(c.batch * c.k * c.n);
        const got = bmmWasm(a, b, { ...c, transposeA: tA, transposeB: tB, aBatch: c.batch, bBatch: c.batch })!;
        expect(maxRelErr(got, reference(a, b, { ...c, tA, tB }))).toBeLessThan(1e-5);
      });
    }
  }

  it('shares a batch-1 operand with every batch', () => {
    const s = { batch: 3, m: 6, k: 5, n: 11 };
    const a = random(s.m * s.k);
    const b = random(s.batch * s.k * s.n);
    const got = bmmWasm(a, b, { ...s, transposeA: false, transposeB: true, aBatch: 1, bBatch: 3 })!;
    expect(maxRelErr(got, reference(a, b, { ...s, tA: false, tB: true, aShared: true }))).toBeLessThan(1e-5);
  });
});

describe('batchMatMul', () => {
  const loss = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, w: tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), w));

  for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]]) {
    it(`equals tf.matMul and its gradient on rank 4 (transposeA ${tA}, transposeB ${tB})`, () => {
      const [B, H, m, k, n] = [2, 3, 7, 5, 6];
      const a = tf.tensor(random(B * H * m * k), tA ? [B, H, k, m] : [B, H, m, k]);
      const b = tf.tensor(random(B * H * k * n), tB ? [B, H, n, k] : [B, H, k, n]);
      const w = tf.tensor(random(B * H * m * n), [B, H, m, n]);
      const ours = batchMatMul(a, b, tA, tB);
      const theirs = tf.matMul(a, b, tA, tB);
      expect(ours.shape).toEqual([B, H, m, n]);
      expect(maxRelErr(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-5);
      const g = tf.grads(loss((x, y) => batchMatMul(x, y, tA, tB), w))([a, b]);
      const h = tf.grads(loss((x, y) => tf.matMul(x, y, tA, tB), w))([a, b]);
      for (let i = 0; i < 2; i++) {
        expect(g[i].shape).toEqual(h[i].shape);
        expect(maxRelErr(g[i].dataSync(), h[i].dataSync())).toBeLessThan(1e-5);
      }
    });
  }

  it('sums the gradient of a shared plain matrix over the batch', () => {
    const a = tf.tensor(random(4 * 3 * 5), [4, 3, 5]);
    const w2 = tf.tensor(random(5 * 2), [5, 2]);
    const wOut = tf.tensor(random(4 * 3 * 2), [4, 3, 2]);
    const [ga, gw] = tf.grads(loss((x, y) => batchMatMul(x, y), wOut))([a, w2]);
    // the same product as one plain [12 x 5] [5 x 2] matmul
    const [ha, hw] = tf.grads(loss((x, y) => tf.reshape(tf.matMul(tf.reshape(x, [12, 5]) as tf.Tensor2D, y as tf.Tensor2D), [4, 3, 2]), wOut))([a, w2]);
    expect(gw.shape).toEqual([5, 2]);
    expect(maxRelErr(gw.dataSync(), hw.dataSync())).toBeLessThan(1e-5);
    expect(maxRelErr(ga.dataSync(), ha.dataSync())).toBeLessThan(1e-5);
  });

  it('gives the same numbers with the kernels off (tf.matMul)', () => {
    const a = tf.tensor(random(3 * 4 * 6), [3, 4, 6]);
    const b = tf.tensor(random(3 * 6 * 5), [3, 6, 5]);
    const on = batchMatMul(a, b).dataSync();
    setKernelSettings({ wasm: false });
    const off = batchMatMul(a, b).dataSync();
    expect(maxRelErr(on, off)).toBeLessThan(1e-5);
  });

  it('names the mismatch in an E_SHAPE error', () => {
    const a = tf.zeros([2, 3, 4]);
    expect(() => batchMatMul(a, tf.zeros([2, 5, 6]))).toThrow(/inner sizes differ \(4 vs 5\)/);
    expect(() => batchMatMul(a, tf.zeros([3, 4, 6]))).toThrow(/batch axes differ: \[2\] vs \[3\]/);
    expect(() => batchMatMul(tf.zeros([4]), a)).toThrow(LmrecError);
  });
});
