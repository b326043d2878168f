import { LmrecError } from '../errors.js';
import type { Csr } from './csr.js';
import { topKBlock, type TopKResult } from './topk.js';

export interface ScoreTopKInput {
  /** [rows * dim] user vectors, row-major. */
  users: Float32Array;
  /** [dim * nItems] item vectors laid out column-major per item (item j = column j). */
  itemsT: Float32Array;
  dim: number;
  nItems: number;
  k: number;
  /** Ids to exclude per row (row r uses exclude.row(rowIds[r])). */
  exclude?: Csr;
  rowIds?: Int32Array;
}

/**
 * Fused scores = users . itemsT, mask, top-K for one block of users. Ties go
 * to the lower item id. Memory: one [rows, nItems] score block.
 */
export function scoreTopK(input: ScoreTopKInput): TopKResult {
  const { users, itemsT, dim, nItems, k } = input;
  const rows = users.length / dim;
  if (!Number.isInteger(rows) || itemsT.length !== dim * nItems) {
    throw new LmrecError('E_SHAPE', `scoreTopK: users ${users.length} / itemsT ${itemsT.length} do not fit dim ${dim}, nItems ${nItems}`);
  }
  const scores = new Float32Array(rows * nItems);
  for (let r = 0; r < rows; r++) {
    const out = r * nItems;
    for (let c = 0; c < dim; c++) {
      const u = users[r * dim + c];
      if (u === 0) continue;
      const io = c * nItems;
      for (let j = 0; j < nItems; j++) scores[out + j] += u * itemsT[io + j];
    }
  }
  return topKBlock(scores, rows, nItems, k, { exclude: input.exclude, rowIds: input.rowIds });
}
