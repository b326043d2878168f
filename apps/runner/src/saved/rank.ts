import { Csr, topKBlock } from '@lmrec/core';

export interface Ranked {
  items: number[];
  scores: number[];
}

/** Best k of one score row, skipping `exclude`; ties to the lower id (core's top-K). */
export function topOf(row: Float32Array, k: number, exclude: Iterable<number>): Ranked {
  const skip = [...new Set(exclude)].filter((j) => j >= 0 && j < row.length).sort((a, b) => a - b);
  const top = topKBlock(row, 1, row.length, Math.min(k, row.length), { exclude: Csr.fromRows(row.length, [skip]) });
  const n = top.ids.indexOf(-1) < 0 ? top.ids.length : top.ids.indexOf(-1);
  return { items: Array.from(top.ids.subarray(0, n)), scores: Array.from(top.scores.subarray(0, n)) };
}
