import { LmrecError, type CfSplit } from '@lmrec/core';
import type { InteractionDataset } from '@lmrec/datasets';

/**
 * Each user's train items in time order (equal times by item id), from the
 * dataset's timestamps: what sequential models (SASRec) train on, offered to
 * every model's fit() as `sequences`. undefined when the dataset has no
 * timestamps; SASRec then falls back to item-id order and says so.
 */
export function trainSequences(data: InteractionDataset, split: CfSplit): Int32Array[] | undefined {
  const times = data.timestamps;
  if (!times) return undefined;
  const { indptr, indices } = data.interactions;
  return Array.from({ length: split.nUsers }, (_, u) => {
    const time = new Map<number, number>();
    for (let k = indptr[u]; k < indptr[u + 1]; k++) time.set(indices[k], times[k]);
    const items = split.train.row(u).slice();
    for (const item of items) {
      if (!time.has(item)) throw new LmrecError('E_STATE', `train item ${item} of user ${u} is not among the dataset's interactions`, { hint: 'the saved split does not match the dataset: start the run again with --fresh' });
    }
    return items.sort((a, b) => time.get(a)! - time.get(b)! || a - b);
  });
}
