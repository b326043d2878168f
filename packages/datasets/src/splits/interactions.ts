import { Csr, LmrecError, Rng, type CfSplit } from '@lmrec/core';
import type { InteractionDataset } from '../interactions/dataset.js';

type Part = 0 | 1 | 2;

/** The CfSplit given a part (0 train, 1 valid, 2 test) per interaction entry. */
function fromAssignment(dataset: InteractionDataset, part: Uint8Array): CfSplit {
  const m = dataset.interactions;
  const build = (p: Part) => {
    const indptr = new Int32Array(m.nRows + 1);
    let n = 0;
    for (let k = 0; k < m.nnz; k++) if (part[k] === p) n++;
    const indices = new Int32Array(n);
    let w = 0;
    for (let u = 0; u < m.nRows; u++) {
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) if (part[k] === p) indices[w++] = m.indices[k];
      indptr[u + 1] = w;
    }
    return new Csr(m.nRows, m.nCols, indptr, indices);
  };
  return { nUsers: m.nRows, nItems: m.nCols, train: build(0), valid: build(1), test: build(2) };
}

export interface RatioSplitOptions {
  /** train/valid/test (default 0.8/0.1/0.1). */
  ratios?: [number, number, number];
  seed?: number;
}

/**
 * Per-user random split (EVAL.md): each user's items are shuffled with a
 * seeded Rng (users in dense order, one stream), then valid = floor(n *
 * valid ratio) and test = floor(n * test ratio), each at least 1 when the
 * user has >= 3 interactions and the ratio is > 0; the rest is train. Users
 * with fewer than 3 interactions stay entirely in train.
 */
export function randomSplit(dataset: InteractionDataset, options: RatioSplitOptions = {}): CfSplit {
  const [a, b, c] = options.ratios ?? [0.8, 0.1, 0.1];
  if (![a, b, c].every((r) => r >= 0) || Math.abs(a + b + c - 1) > 1e-9) {
    throw new LmrecError('E_ARGUMENT', `split ratios must be non-negative and sum to 1, got ${[a, b, c].join('/')}`, { field: 'ratios' });
  }
  const rng = new Rng(options.seed ?? 0);
  const m = dataset.interactions;
  const part = new Uint8Array(m.nnz);
  for (let u = 0; u < m.nRows; u++) {
    const start = m.indptr[u];
    const n = m.indptr[u + 1] - start;
    if (n < 3) continue;
    const order = new Int32Array(n);
    for (let x = 0; x < n; x++) order[x] = start + x;
    rng.shuffle(order);
    const nValid = b > 0 ? Math.max(1, Math.floor(n * b)) : 0;
    const nTest = Math.min(n - nValid, c > 0 ? Math.max(1, Math.floor(n * c)) : 0);
    for (let x = 0; x < nTest; x++) part[order[x]] = 2;
    for (let x = nTest; x < nTest + nValid; x++) part[order[x]] = 1;
  }
  return fromAssignment(dataset, part);
}

/**
 * Leave-one-out by time: each user's last interaction (largest timestamp,
 * ties broken by larger item id) is test, the second last valid. Users with
 * 2 interactions give one to test; users with 1 keep it in train.
 */
export function leaveOneOutSplit(dataset: InteractionDataset): CfSplit {
  const ts = dataset.timestamps;
  if (!ts) throw new LmrecError('E_ARGUMENT', `${dataset.name} has no timestamps: leave-one-out by time needs them`);
  const m = dataset.interactions;
  const part = new Uint8Array(m.nnz);
  const later = (k1: number, k2: number) => ts[k1] > ts[k2] || (ts[k1] === ts[k2] && m.indices[k1] > m.indices[k2]);
  for (let u = 0; u < m.nRows; u++) {
    const start = m.indptr[u];
    const end = m.indptr[u + 1];
    if (end - start < 2) continue;
    let last = start;
    for (let k = start + 1; k < end; k++) if (later(k, last)) last = k;
    part[last] = 2;
    if (end - start < 3) continue;
    let second = -1;
    for (let k = start; k < end; k++) if (k !== last && (second < 0 || later(k, second))) second = k;
    part[second] = 1;
  }
  return fromAssignment(dataset, part);
}

export interface TemporalSplitOptions {
  /** Cut times: train < t1 <= valid < t2 <= test. */
  t1?: number;
  t2?: number;
  /** Or fractions of interactions by time (default 0.8/0.1/0.1) to place the cuts. */
  ratios?: [number, number, number];
}

/**
 * Global temporal split: every interaction before t1 is train, [t1, t2)
 * valid, from t2 on test; nothing from the future reaches training. With
 * `ratios`, t1 and t2 are the timestamps at those quantiles of all
 * interactions (ties fall on the later side).
 */
export function temporalSplit(dataset: InteractionDataset, options: TemporalSplitOptions = {}): CfSplit & { t1: number; t2: number } {
  const ts = dataset.timestamps;
  if (!ts) throw new LmrecError('E_ARGUMENT', `${dataset.name} has no timestamps: a temporal split needs them`);
  let { t1, t2 } = options;
  if (t1 === undefined || t2 === undefined) {
    const [a, b] = options.ratios ?? [0.8, 0.1, 0.1];
    const sorted = Float64Array.from(ts).sort();
    const n = sorted.length;
    t1 ??= n ? sorted[Math.min(n - 1, Math.floor(n * a))] : 0;
    t2 ??= n ? sorted[Math.min(n - 1, Math.floor(n * (a + b)))] : 0;
  }
  if (t2 < t1) throw new LmrecError('E_ARGUMENT', `t2 (${t2}) must not be before t1 (${t1})`, { field: 't2' });
  const part = new Uint8Array(ts.length);
  for (let k = 0; k < ts.length; k++) part[k] = ts[k] < t1 ? 0 : ts[k] < t2 ? 1 : 2;
  return { ...fromAssignment(dataset, part), t1, t2 };
}
