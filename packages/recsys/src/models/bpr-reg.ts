import type { InteractionBatch } from '../trainer/samplers.js';
import type { BprTables } from './bpr-kernel.js';

/**
 * The L2 part: adds reg / divisor times every batch row (user, positive,
 * negatives, repeats counted) of `l2` into `grad` and returns
 * reg / 2 / divisor times their squared norms. `grad` may be the pairwise
 * gradient itself (MF, where score and L2 rows are the same table).
 */
export function bprReg(l2: BprTables, grad: BprTables, dim: number, batch: InteractionBatch, reg: number, divisor: number): number {
  if (reg <= 0) return 0;
  const { users, pos, neg } = batch;
  const K = batch.negatives;
  const scale = reg / divisor;
  let sq = 0;
  for (let b = 0; b < users.length; b++) {
    sq += addScaled(l2.users, grad.users, users[b] * dim, dim, scale) + addScaled(l2.items, grad.items, pos[b] * dim, dim, scale);
    for (let k = 0; k < K; k++) sq += addScaled(l2.items, grad.items, neg[b * K + k] * dim, dim, scale);
  }
  return (sq * reg) / 2 / divisor;
}

/**
 * `bprReg` by row counts: each table row that occurs c times in the batch
 * adds c reg / divisor times itself, in one sequential pass over the table
 * instead of a random access per occurrence (LightGCN, whose L2 rows are not
 * the score rows, so the term cannot ride on the pairwise pass). The same
 * sums up to rounding.
 */
export function bprRegCounted(l2: BprTables, grad: BprTables, dim: number, batch: InteractionBatch, reg: number, divisor: number): number {
  if (reg <= 0) return 0;
  const users = new Float64Array(l2.users.length / dim);
  const items = new Float64Array(l2.items.length / dim);
  for (const u of batch.users) users[u]++;
  for (const j of batch.pos) items[j]++;
  for (const j of batch.neg) items[j]++;
  const scale = reg / divisor;
  const sq = addCounted(l2.users, grad.users, users, dim, scale) + addCounted(l2.items, grad.items, items, dim, scale);
  return (sq * reg) / 2 / divisor;
}

/** grad row r += count[r] scale rows row r, for rows with a count; returns sum count[r] |row r|^2. */
function addCounted(rows: Float32Array, grad: Float32Array, count: Float64Array, dim: number, scale: number): number {
  let sq = 0;
  for (let r = 0; r < count.length; r++) {
    const c = count[r];
    if (c === 0) continue;
    const o = r * dim;
    const cs = c * scale;
    let s = 0;
    for (let t = 0; t < dim; t++) {
      const v = rows[o + t];
      s += v * v;
      grad[o + t] += cs * v;
    }
    sq += c * s;
  }
  return sq;
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
