import { LmrecError, type Csr } from '@lmrec/core';

/** The last `max` entries of a history. */
export function lastN(history: ArrayLike<number>, max: number): Int32Array {
  const a = Int32Array.from(history);
  return a.length > max ? a.subarray(a.length - max) : a;
}

export function checkHistory(history: ArrayLike<number>, nItems: number): void {
  for (let k = 0; k < history.length; k++) {
    const j = history[k];
    if (!(Number.isInteger(j) && j >= 0 && j < nItems)) {
      throw new LmrecError('E_RANGE', `history item ${j} is outside [0, ${nItems})`);
    }
  }
}

/**
 * Each user's train items as an ordered sequence: by `sequences` when given
 * (e.g. sorted by timestamp), else by item id (CfSplit carries no times). A
 * given sequence must hold exactly the user's train items, in any order:
 * anything else would train on items the split does not have.
 */
export function userSequences(train: Csr, sequences?: readonly ArrayLike<number>[]): Int32Array[] {
  if (sequences) {
    if (sequences.length !== train.nRows) throw new LmrecError('E_SHAPE', `sequences has ${sequences.length} users, the split ${train.nRows}`);
    return sequences.map((s, u) => {
      const seq = Int32Array.from(s);
      const row = train.row(u).slice().sort();
      const sorted = seq.slice().sort();
      if (sorted.length !== row.length || sorted.some((j, k) => j !== row[k])) {
        throw new LmrecError('E_DATA', `sequences[${u}] holds ${seq.length} items that are not user ${u}'s ${row.length} train items`, { field: 'sequences', hint: "pass each user's train items of this split, in time order" });
      }
      return seq;
    });
  }
  return Array.from({ length: train.nRows }, (_, u) => train.row(u).slice());
}
