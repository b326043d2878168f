import { allocate, f32View, getKernels, SCORE_R, SCORE_V } from './wasm/runtime.js';

/** One batched product C[b] = op(A[b]) op(B[b]), op a transpose when asked; an operand with batch 1 is shared by every b. */
export interface BmmShape {
  batch: number;
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(A), rows of op(B). */
  k: number;
  /** Columns of op(B) and C. */
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** batch or 1. */
  aBatch: number;
  bBatch: number;
}

/**
 * C = op(A) op(B) for every batch on the WebAssembly GEMM kernel (the
 * register block of full ranking's score kernel), in float32 with each dot
 * summed in k order. tfjs' wasm backend hands every batched or transposed
 * matmul to a scalar triple loop (about 1.5 GFLOP/s here), which is where
 * SASRec's attention spent half its time. A is read in place through its
 * strides and B's rows in place; only a transposed B is repacked. Main
 * thread only: the products it serves are small. Returns undefined when the
 * kernel is unavailable.
 */
export function bmmWasm(a: Float32Array, b: Float32Array, s: BmmShape): Float32Array | undefined {
  const kern = getKernels();
  if (!kern) return undefined;
  const { batch, m, k, n } = s;
  const out = new Float32Array(batch * m * n);
  if (k === 0 || m === 0 || n === 0) return out;
  const R = SCORE_R;
  const W = 4 * SCORE_V;
  const groups = Math.ceil(m / R);
  const nPad = Math.ceil(n / W) * W;
  // every batch's rows straight to their place: spare rows and columns land on outputs written after them
  const aLen = s.aBatch * m * k;
  const bLen = s.bBatch * k * n;
  // slack past A, B and C for the spare rows and columns the kernel reads and writes
  const ptrs = allocate(kern, [4 * (aLen + R * (k + 1)), 4 * (bLen + W), 4 * (batch * m * n + R * n + W)]);
  if (!ptrs) return undefined;
  const [pA, pB, pC] = ptrs;
  f32View(kern, pA, aLen).set(a.subarray(0, aLen));
  f32View(kern, pB, bLen).set(s.transposeB ? transposed(b, s) : b.subarray(0, bLen));
  const [aRowB, aColB] = s.transposeA ? [4, 4 * m] : [4 * k, 4];
  const gemm = kern.fns[`gemm_r${R}v${SCORE_V}`];
  for (let t = 0; t < batch; t++) {
    const at = pA + (s.aBatch > 1 ? 4 * t * m * k : 0);
    const bt = pB + (s.bBatch > 1 ? 4 * t * k * n : 0);
    gemm(at, aRowB, aColB, bt, 4 * n, 4 * nPad, k, pC + 4 * t * m * n, 4 * n, 0, groups);
  }
  out.set(f32View(kern, pC, batch * m * n));
  return out;
}

/** out[t][p][j] = b[t][j][p]: a transposed B as the row-major [k, n] the kernel reads (built outside wasm memory: plain arrays write faster than its shared views). */
function transposed(b: Float32Array, s: BmmShape): Float32Array {
  const { k, n } = s;
  const out = new Float32Array(s.bBatch * k * n);
  for (let t = 0; t < s.bBatch; t++) {
    const base = t * k * n;
    for (let j = 0; j < n; j++) {
      const src = base + j * k;
      for (let p = 0; p < k; p++) out[base + p * n + j] = b[src + p];
    }
  }
  return out;
}
