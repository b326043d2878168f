import { LmrecError, pairStepWasm, readTidy, tf } from '@lmrec/core';

/** (user, positive, negatives) triples; `neg` is row-major [size, negatives]. */
export interface ContrastiveBatch {
  users: Int32Array;
  pos: Int32Array;
  neg: Int32Array;
  negatives: number;
}

export type LossKernel = 'auto' | 'dense' | 'sparse';

export interface InfoNceResult {
  /** Mean loss over the batch. */
  loss: number;
  /** d loss / d users, [nUsers * dim] (zero outside the batch's users). */
  dUsers: Float32Array;
  /** d loss / d items, [nItems * dim]. */
  dItems: Float32Array;
}

const EPS = 1e-12;
/** Without the SIMD pair kernel, 'auto' scores densely while the score block has at most this many cells per (user, item) sample. */
export const DENSE_CELLS_PER_SAMPLE = 14;

/**
 * InfoNCE on cosine scores with its gradient, for raw (unnormalised) user
 * and item rows:
 * `L = mean_b [ -s+/tau + log(e^{s+/tau} + sum_k e^{s-_k/tau}) ]`, s = cos.
 *
 * Two kernels compute the same sums: 'dense' scores every (batch user,
 * batch item) pair with one matMul; 'sparse' only the B x (1 + K) needed
 * dot products, on core's WebAssembly SIMD pair kernel (plain loops when
 * it is off). 'auto' is 'sparse' on the kernel; without it, 'dense' while
 * the batch touches few distinct users x items (MovieLens-sized
 * catalogues), else the loops.
 */
export function infoNce(
  users: Float32Array,
  items: Float32Array,
  dim: number,
  batch: ContrastiveBatch,
  tau: number,
  kernel: LossKernel = 'auto',
): InfoNceResult {
  const B = batch.users.length;
  const K = batch.negatives;
  if (batch.pos.length !== B || batch.neg.length !== B * K) {
    throw new LmrecError('E_SHAPE', `batch of ${B} users has ${batch.pos.length} positives and ${batch.neg.length} negatives (expected ${B} and ${B * K})`);
  }
  const ids = batchIds(batch, users.length / dim, items.length / dim);
  const nu = ids.uIds.length;
  const ni = ids.iIds.length;
  const uNorm = new Float32Array(nu);
  const iNorm = new Float32Array(ni);
  const uHat = normalizeRows(users, ids.uIds, dim, uNorm);
  const iHat = normalizeRows(items, ids.iIds, dim, iNorm);
  const rows: Rows = { uHat, iHat, dim, ni, scoreOf: undefined, dS: undefined, dUHat: new Float32Array(nu * dim), dIHat: new Float32Array(ni * dim) };
  // the SIMD pair kernel beats the dense product at every size bench/nce-kernel.ts measured (ML-100K included)
  let total = kernel === 'dense' ? undefined : softmaxPairsWasm(batch, ids, rows, tau);
  if (total === undefined) {
    // plain loops against one matMul; crossover measured by bench/nce-kernel.ts (1 thread, d 64, B 4096, K 256)
    if (kernel === 'dense' || (kernel === 'auto' && nu * ni <= DENSE_CELLS_PER_SAMPLE * B * (K + 1))) {
      rows.scoreOf = denseScores(uHat, iHat, nu, ni, dim);
      rows.dS = new Float32Array(nu * ni);
    }
    total = softmaxRows(batch, ids, rows, tau);
    if (rows.dS) denseBackward(rows.dS, uHat, iHat, nu, ni, dim, rows.dUHat, rows.dIHat);
  }
  const dUsers = new Float32Array(users.length);
  const dItems = new Float32Array(items.length);
  normalizeBackward(uHat, uNorm, rows.dUHat, ids.uIds, dim, dUsers);
  normalizeBackward(iHat, iNorm, rows.dIHat, ids.iIds, dim, dItems);
  return { loss: total / B, dUsers, dItems };
}

/** Local ids for the distinct users / items a batch touches (first-seen order), and the batch in local ids. */
interface BatchIds {
  uIds: number[];
  iIds: number[];
  /** [B] row b's user. */
  rows: Int32Array;
  /** [B, 1 + K] row b's positive, then its negatives. */
  cols: Int32Array;
}

function batchIds(batch: ContrastiveBatch, nU: number, nI: number): BatchIds {
  const B = batch.users.length;
  const K = batch.negatives;
  const K1 = K + 1;
  const uLocal = new Int32Array(nU).fill(-1);
  const iLocal = new Int32Array(nI).fill(-1);
  const uIds: number[] = [];
  const iIds: number[] = [];
  const rows = new Int32Array(B);
  const cols = new Int32Array(B * K1);
  for (let b = 0; b < B; b++) {
    const u = batch.users[b];
    if (uLocal[u] < 0) {
      uLocal[u] = uIds.length;
      uIds.push(u);
    }
    rows[b] = uLocal[u];
  }
  const touch = (j: number) => {
    if (iLocal[j] < 0) {
      iLocal[j] = iIds.length;
      iIds.push(j);
    }
    return iLocal[j];
  };
  for (let b = 0; b < B; b++) cols[b * K1] = touch(batch.pos[b]);
  for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) cols[b * K1 + 1 + k] = touch(batch.neg[b * K + k]);
  return { uIds, iIds, rows, cols };
}

/** Normalised rows, optional dense score block, and the gradient accumulators of one InfoNCE call. */
interface Rows {
  uHat: Float32Array;
  iHat: Float32Array;
  dim: number;
  ni: number;
  scoreOf: Float32Array | undefined;
  dS: Float32Array | undefined;
  dUHat: Float32Array;
  dIHat: Float32Array;
}

/** The summed loss over the batch rows; accumulates d loss / d cos into `r` (dense dS or the normalised rows). */
function softmaxRows(batch: ContrastiveBatch, ids: BatchIds, r: Rows, tau: number): number {
  const B = batch.users.length;
  const K1 = batch.negatives + 1;
  const { uHat, iHat, dim, ni, scoreOf, dS, dUHat, dIHat } = r;
  const z = new Float64Array(K1);
  const e = new Float64Array(K1);
  const scale = 1 / (B * tau);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const lu = ids.rows[b];
    const cols = ids.cols.subarray(b * K1, (b + 1) * K1);
    for (let c = 0; c < K1; c++) {
      const li = cols[c];
      let s = 0;
      if (scoreOf) s = scoreOf[lu * ni + li];
      else {
        const uo = lu * dim;
        const io = li * dim;
        for (let t = 0; t < dim; t++) s += uHat[uo + t] * iHat[io + t];
      }
      z[c] = s;
    }
    total += softmaxGrad(z, z, 0, K1, 1 / tau, scale, e);
    for (let c = 0; c < K1; c++) {
      const g = z[c];
      const li = cols[c];
      if (dS) dS[lu * ni + li] += g;
      else {
        const uo = lu * dim;
        const io = li * dim;
        for (let t = 0; t < dim; t++) {
          dUHat[uo + t] += g * iHat[io + t];
          dIHat[io + t] += g * uHat[uo + t];
        }
      }
    }
  }
  return total;
}

/**
 * The sparse kernel on WebAssembly SIMD (core's pairStepWasm: the B x (1 + K)
 * dot products and both gradient passes, float32 lanes); the softmax stays
 * here, summed in float64. Undefined when that kernel is unavailable.
 */
function softmaxPairsWasm(batch: ContrastiveBatch, ids: BatchIds, r: Rows, tau: number): number | undefined {
  const B = batch.users.length;
  const K1 = batch.negatives + 1;
  const scale = 1 / (B * tau);
  const e = new Float64Array(K1);
  let total = 0;
  const ok = pairStepWasm({ users: r.uHat, items: r.iHat }, { users: r.dUHat, items: r.dIHat }, r.dim, { rows: ids.rows, cols: ids.cols, width: K1 }, (scores, g) => {
    for (let b = 0; b < B; b++) total += softmaxGrad(scores, g, b * K1, K1, 1 / tau, scale, e);
  });
  return ok ? total : undefined;
}

/**
 * One row's loss, log sum_c e^{z_c} - z_0 for the scores s[o..o+n) (z = s /
 * tau, column 0 the positive); writes d mean-loss / d s = (softmax - onehot)
 * scale to out[o..o+n) (out may be s itself), each value rounded once: the
 * exponentials wait in the float64 scratch `e` (length >= n).
 */
function softmaxGrad(s: ArrayLike<number>, out: Float32Array | Float64Array, o: number, n: number, invTau: number, scale: number, e: Float64Array): number {
  const z0 = s[o] * invTau;
  let max = -Infinity;
  for (let c = 0; c < n; c++) max = Math.max(max, s[o + c] * invTau);
  let sum = 0;
  for (let c = 0; c < n; c++) sum += e[c] = Math.exp(s[o + c] * invTau - max);
  const inv = scale / sum;
  for (let c = 0; c < n; c++) out[o + c] = e[c] * inv - (c === 0 ? scale : 0);
  return max + Math.log(sum) - z0;
}

function normalizeRows(x: Float32Array, ids: readonly number[], dim: number, norms: Float32Array): Float32Array {
  const out = new Float32Array(ids.length * dim);
  for (let r = 0; r < ids.length; r++) {
    const o = ids[r] * dim;
    let ss = 0;
    for (let t = 0; t < dim; t++) ss += x[o + t] * x[o + t];
    const n = Math.max(Math.sqrt(ss), EPS);
    norms[r] = n;
    for (let t = 0; t < dim; t++) out[r * dim + t] = x[o + t] / n;
  }
  return out;
}

/** dx = (dxHat - xHat (xHat . dxHat)) / ||x||, scattered to the rows' global ids. */
function normalizeBackward(xHat: Float32Array, norms: Float32Array, dHat: Float32Array, ids: readonly number[], dim: number, out: Float32Array): void {
  for (let r = 0; r < ids.length; r++) {
    const o = r * dim;
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += xHat[o + t] * dHat[o + t];
    const go = ids[r] * dim;
    const inv = 1 / norms[r];
    for (let t = 0; t < dim; t++) out[go + t] = (dHat[o + t] - xHat[o + t] * dot) * inv;
  }
}

/** [nu, ni] = uHat . iHat^T; the transpose is an explicit (fast) op so the matMul has no transposed operand. */
function denseScores(uHat: Float32Array, iHat: Float32Array, nu: number, ni: number, dim: number): Float32Array {
  return readTidy(() => tf.matMul(tf.tensor2d(uHat, [nu, dim]), tf.transpose(tf.tensor2d(iHat, [ni, dim]))));
}

/** dU = dS . iHat, dI = dS^T . uHat (explicit transpose again). */
function denseBackward(dS: Float32Array, uHat: Float32Array, iHat: Float32Array, nu: number, ni: number, dim: number, dU: Float32Array, dI: Float32Array): void {
  const g = tf.tensor2d(dS, [nu, ni]);
  try {
    dU.set(readTidy(() => tf.matMul(g, tf.tensor2d(iHat, [ni, dim]))));
    dI.set(readTidy(() => tf.matMul(tf.transpose(g), tf.tensor2d(uHat, [nu, dim]))));
  } finally {
    g.dispose();
  }
}
