import { tf, tripletStepWasm } from '@lmrec/core';
import type { InteractionBatch } from '../trainer/samplers.js';
import { bprReg } from './bpr-reg.js';

export { bprReg, bprRegCounted } from './bpr-reg.js';

/** Score rows and L2 rows of one BPR step: `[nUsers * dim]` and `[nItems * dim]` each. */
export interface BprTables {
  users: Float32Array;
  items: Float32Array;
}

export interface BprStepResult {
  loss: number;
  /** d loss / d score tables (zero outside the batch's rows). */
  dScore: BprTables;
  /** d loss / d L2 tables (the batch's rows times reg / divisor). */
  dReg: BprTables;
}

/**
 * The BPR loss of `bprLoss` and its exact gradient on plain arrays:
 * `mean_{b,k} softplus(s-_{bk} - s+_b) + reg/2/divisor * sum(|u_b|^2 +
 * |p_b|^2 + sum_k |n_bk|^2)`, scores from `score`, the L2 term on `l2` rows
 * (the same arrays for MF, layer 0 for LightGCN). Allocating form of
 * `bprPairs` + `bprReg`, for tests and one-off callers.
 */
export function bprStep(score: BprTables, l2: BprTables, dim: number, batch: InteractionBatch, reg: number, divisor: number): BprStepResult {
  const dScore = { users: new Float32Array(score.users.length), items: new Float32Array(score.items.length) };
  const dReg = { users: new Float32Array(l2.users.length), items: new Float32Array(l2.items.length) };
  const rank = bprPairs(score, dScore, dim, batch);
  return { loss: rank + bprReg(l2, dReg, dim, batch, reg, divisor), dScore, dReg };
}

/**
 * The pairwise part: adds d mean softplus(s- - s+) / d score into `grad`
 * (which the caller zeroes) and returns that mean. The hot loop of MF and
 * LightGCN training; kept in small functions because V8 optimises those
 * reliably (one large function with the L2 branch deoptimised on every call).
 */
export function bprPairs(score: BprTables, grad: BprTables, dim: number, batch: InteractionBatch): number {
  const { users, pos, neg } = batch;
  const K = batch.negatives;
  const B = users.length;
  const scale = 1 / (B * K);
  const U = score.users;
  const I = score.items;
  let rank = 0;
  if (K === 1) return pairsOne(score, grad, dim, batch);
  for (let b = 0; b < B; b++) {
    const uo = users[b] * dim;
    const po = pos[b] * dim;
    const sPos = dot(U, uo, I, po, dim);
    for (let k = 0; k < K; k++) {
      const no = neg[b * K + k] * dim;
      const x = dot(U, uo, I, no, dim) - sPos;
      rank += softplus(x);
      // d softplus(x) = sigmoid(x), over the B K pairs of the mean
      pairGrad(U, I, grad.users, grad.items, uo, po, no, dim, scale / (1 + Math.exp(-x)));
    }
  }
  return rank * scale;
}

/** `bprPairs` for one negative: both dots in one pass over the user row. */
function pairsOne(score: BprTables, grad: BprTables, dim: number, batch: InteractionBatch): number {
  const { users, pos, neg } = batch;
  const B = users.length;
  const simd = pairsSimd(score, grad, dim, batch, 0);
  if (simd) return simd.rank / B;
  let rank = 0;
  for (let b = 0; b < B; b++) {
    const uo = users[b] * dim;
    const po = pos[b] * dim;
    const no = neg[b] * dim;
    const x = dotDiff(score.users, uo, score.items, po, no, dim);
    rank += softplus(x);
    pairGrad(score.users, score.items, grad.users, grad.items, uo, po, no, dim, 1 / B / (1 + Math.exp(-x)));
  }
  return rank / B;
}

/**
 * One-negative pairs (plus r times each row, r = 0 for none) on core's SIMD
 * kernels: the table passes there, softplus and sigmoid here. Returns the
 * softplus sum and the rows' squared norms, or undefined when the kernel is
 * unavailable (callers then run the loops above). Float32 lane sums, so
 * equal to the loops up to rounding.
 */
function pairsSimd(score: BprTables, grad: BprTables, dim: number, batch: InteractionBatch, r: number): { rank: number; sq: number } | undefined {
  const B = batch.users.length;
  let rank = 0;
  let sq = 0;
  const ok = tripletStepWasm(score, grad, dim, batch, r, (sums, coef) => {
    for (let b = 0; b < B; b++) {
      const x = sums[3 * b + 1] - sums[3 * b];
      rank += softplus(x);
      sq += sums[3 * b + 2];
      coef[b] = 1 / B / (1 + Math.exp(-x));
    }
  });
  return ok ? { rank, sq } : undefined;
}

/** log(1 + e^x) without overflow: -log sigmoid(-x), the BPR pair's loss. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) s += a[ao + t] * b[bo + t];
  return s;
}

/** d(g (s- - s+)): user row g (n - p), positive row -g u, negative row +g u. */
function pairGrad(U: Float32Array, I: Float32Array, dU: Float32Array, dI: Float32Array, uo: number, po: number, no: number, dim: number, g: number): void {
  for (let t = 0; t < dim; t++) {
    const u = g * U[uo + t];
    dU[uo + t] += g * (I[no + t] - I[po + t]);
    dI[po + t] -= u;
    dI[no + t] += u;
  }
}

/**
 * `bprPairs` + `bprReg` when score and L2 rows are the same tables (MF), in
 * one pass for one negative: each batch row's user, positive and negative
 * rows are read once for both dots and once for the whole gradient, instead
 * of once per pass. More negatives take the two passes.
 */
export function bprFused(t: BprTables, grad: BprTables, dim: number, batch: InteractionBatch, reg: number, divisor: number): number {
  if (batch.negatives !== 1) return bprPairs(t, grad, dim, batch) + bprReg(t, grad, dim, batch, reg, divisor);
  const { users, pos, neg } = batch;
  const B = users.length;
  const regScale = reg > 0 ? reg / divisor : 0;
  const simd = pairsSimd(t, grad, dim, batch, regScale);
  if (simd) return simd.rank / B + (reg > 0 ? (simd.sq * reg) / 2 / divisor : 0);
  let rank = 0;
  let sq = 0;
  for (let b = 0; b < B; b++) {
    const uo = users[b] * dim;
    const po = pos[b] * dim;
    const no = neg[b] * dim;
    const x = dotDiff(t.users, uo, t.items, po, no, dim);
    rank += softplus(x);
    sq += tripleGrad(t.users, t.items, grad.users, grad.items, uo, po, no, dim, 1 / B / (1 + Math.exp(-x)), regScale);
  }
  return rank / B + (reg > 0 ? (sq * reg) / 2 / divisor : 0);
}

/** u . n - u . p, both dots summed in the order of `dot`. */
function dotDiff(U: Float32Array, uo: number, I: Float32Array, po: number, no: number, dim: number): number {
  let sp = 0;
  let sn = 0;
  for (let t = 0; t < dim; t++) {
    const u = U[uo + t];
    sp += u * I[po + t];
    sn += u * I[no + t];
  }
  return sn - sp;
}

/** `pairGrad` plus r times each row (the L2 gradient); returns the rows' squared norms. */
function tripleGrad(U: Float32Array, I: Float32Array, dU: Float32Array, dI: Float32Array, uo: number, po: number, no: number, dim: number, g: number, r: number): number {
  let sq = 0;
  for (let t = 0; t < dim; t++) {
    const u = U[uo + t];
    const p = I[po + t];
    const n = I[no + t];
    sq += u * u + p * p + n * n;
    dU[uo + t] += g * (n - p) + r * u;
    dI[po + t] += r * p - g * u;
    dI[no + t] += g * u + r * n;
  }
  return sq;
}

/**
 * A host-computed loss handed to tfjs with its gradient (`tf.customGrad`), so
 * the Trainer's `tf.variableGrads` and the one optimiser see an ordinary
 * differentiable loss of `vars`.
 */
export function hostLoss(vars: readonly tf.Variable[], compute: () => { loss: number; grads: Float32Array[] }): tf.Scalar {
  const op = tf.customGrad((...args: unknown[]) => {
    void args;
    const { loss, grads } = compute();
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const g = Array.isArray(dy) ? dy[0] : dy;
        return vars.map((v, i) => tf.mul(g, tf.tensor(grads[i], v.shape)));
      },
    };
  });
  return op(...vars) as tf.Scalar;
}
