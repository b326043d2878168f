import { tf } from '@lmrec/core';
import type { InteractionBatch } from '../trainer/samplers.js';

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
 * The BPR loss of `bprLoss` and its exact gradient on plain arrays, one pass
 * over the batch: `mean_{b,k} softplus(s-_{bk} - s+_b) + reg/2/divisor *
 * sum(|u_b|^2 + |p_b|^2 + sum_k |n_bk|^2)`, scores from `score`, the L2 term
 * on `reg` rows (the same arrays for MF, layer 0 for LightGCN). Replaces some
 * twenty taped tfjs ops and the gather / scatter-add gradient per step.
 */
export function bprStep(score: BprTables, l2: BprTables, dim: number, batch: InteractionBatch, reg: number, divisor: number): BprStepResult {
  const B = batch.users.length;
  const K = batch.negatives;
  const dScore = { users: new Float32Array(score.users.length), items: new Float32Array(score.items.length) };
  const dReg = { users: new Float32Array(l2.users.length), items: new Float32Array(l2.items.length) };
  const pairScale = 1 / (B * K);
  const regScale = reg / divisor;
  let rank = 0;
  let sq = 0;
  const { users: U, items: I } = score;
  const dU = dScore.users;
  const dI = dScore.items;
  for (let b = 0; b < B; b++) {
    const uo = batch.users[b] * dim;
    const po = batch.pos[b] * dim;
    let sPos = 0;
    for (let t = 0; t < dim; t++) sPos += U[uo + t] * I[po + t];
    for (let k = 0; k < K; k++) {
      const no = batch.neg[b * K + k] * dim;
      let sNeg = 0;
      for (let t = 0; t < dim; t++) sNeg += U[uo + t] * I[no + t];
      const x = sNeg - sPos;
      rank += x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      const g = pairScale / (1 + Math.exp(-x)); // sigmoid(x) / (B K)
      for (let t = 0; t < dim; t++) {
        const u = g * U[uo + t];
        dU[uo + t] += g * (I[no + t] - I[po + t]);
        dI[po + t] -= u;
        dI[no + t] += u;
      }
    }
    if (reg > 0) {
      sq += addScaled(l2.users, dReg.users, uo, dim, regScale) + addScaled(l2.items, dReg.items, po, dim, regScale);
      for (let k = 0; k < K; k++) sq += addScaled(l2.items, dReg.items, batch.neg[b * K + k] * dim, dim, regScale);
    }
  }
  return { loss: rank * pairScale + (reg > 0 ? (sq * reg) / 2 / divisor : 0), dScore, dReg };
}

/** grad[o..o+dim) += scale * rows[o..o+dim); returns the row's squared norm. */
function addScaled(rows: Float32Array, grad: Float32Array, o: number, dim: number, scale: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) {
    const v = rows[o + t];
    s += v * v;
    grad[o + t] += scale * v;
  }
  return s;
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
