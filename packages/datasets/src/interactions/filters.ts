import { LmrecError } from '@lmrec/core';
import type { InteractionDataset } from './dataset.js';

/**
 * Implicit feedback: keep interactions rated >= threshold (MovieLens
 * convention: 4). Users and items stay; k-core removes the empty ones.
 */
export function implicitFeedback(dataset: InteractionDataset, threshold: number): InteractionDataset {
  const ratings = dataset.ratings;
  if (!ratings) throw new LmrecError('E_ARGUMENT', `${dataset.name} has no ratings to threshold`);
  return dataset.filterEntries((k) => ratings[k] >= threshold);
}

export interface KCoreOptions {
  /** Minimum interactions per user (default 5 when k is not given). */
  user?: number;
  /** Minimum interactions per item. */
  item?: number;
}

/**
 * k-core: repeatedly drop users with fewer than `user` interactions and
 * items with fewer than `item`, until nothing changes (each removal can push
 * others below the bar). Survivors are renumbered in their old order.
 */
export function kCore(dataset: InteractionDataset, options: KCoreOptions | number): InteractionDataset {
  const { user = 5, item = 5 } = typeof options === 'number' ? { user: options, item: options } : options;
  const m = dataset.interactions;
  const userAlive = new Uint8Array(m.nRows).fill(1);
  const itemAlive = new Uint8Array(m.nCols).fill(1);
  const userDeg = new Int32Array(m.nRows);
  const itemDeg = new Int32Array(m.nCols);
  for (let u = 0; u < m.nRows; u++) {
    userDeg[u] = m.indptr[u + 1] - m.indptr[u];
    for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) itemDeg[m.indices[k]]++;
  }
  const t = m.transpose();
  // Queue-based peeling: O(nnz) overall instead of whole passes.
  const queueU: number[] = [];
  const queueI: number[] = [];
  for (let u = 0; u < m.nRows; u++) if (userDeg[u] < user) queueU.push(u);
  for (let i = 0; i < m.nCols; i++) if (itemDeg[i] < item) queueI.push(i);
  while (queueU.length || queueI.length) {
    while (queueU.length) {
      const u = queueU.pop()!;
      if (!userAlive[u]) continue;
      userAlive[u] = 0;
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
        const i = m.indices[k];
        if (!itemAlive[i]) continue;
        if (--itemDeg[i] < item && itemDeg[i] + 1 >= item) queueI.push(i);
      }
    }
    while (queueI.length) {
      const i = queueI.pop()!;
      if (!itemAlive[i]) continue;
      itemAlive[i] = 0;
      for (let k = t.indptr[i]; k < t.indptr[i + 1]; k++) {
        const u = t.indices[k];
        if (!userAlive[u]) continue;
        if (--userDeg[u] < user && userDeg[u] + 1 >= user) queueU.push(u);
      }
    }
  }
  const keepU: number[] = [];
  const keepI: number[] = [];
  userAlive.forEach((a, u) => a && keepU.push(u));
  itemAlive.forEach((a, i) => a && keepI.push(i));
  return dataset.subset(Int32Array.from(keepU), Int32Array.from(keepI));
}
