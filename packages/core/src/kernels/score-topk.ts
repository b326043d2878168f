import { LmrecError } from '../errors.js';
import type { Csr } from './csr.js';
import { scoreTopKWasm } from './score-topk-wasm.js';
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
 * Fused scores = users . itemsT, mask, top-K for any number of users. Ties
 * go to the lower item id. Runs the WebAssembly SIMD kernel (users blocked,
 * items tiled, threads) when available, else `scoreTopKReference`; memory
 * does not grow with the number of users on the kernel path.
 */
export function scoreTopK(input: ScoreTopKInput): TopKResult {
  const rows = checkRows(input);
  return scoreTopKWasm({ ...input, rows }) ?? scoreTopKReference(input);
}

function checkRows(input: ScoreTopKInput): number {
  const { users, itemsT, dim, nItems, k } = input;
  const rows = users.length / dim;
  if (!Number.isInteger(rows) || itemsT.length !== dim * nItems) {
    throw new LmrecError('E_SHAPE', `scoreTopK: users ${users.length} / itemsT ${itemsT.length} do not fit dim ${dim}, nItems ${nItems}`);
  }
  if (!Number.isInteger(k) || k < 0) throw new LmrecError('E_ARGUMENT', `scoreTopK: k must be a non-negative integer, got ${k}`);
  if (input.rowIds && input.rowIds.length < rows) {
    throw new LmrecError('E_SHAPE', `scoreTopK: ${input.rowIds.length} rowIds for ${rows} users`);
  }
  return rows;
}

/**
 * The plain JavaScript path: one [rows, nItems] score block, then
 * `topKBlock`. The baseline for tests and benchmarks.
 */
export function scoreTopKReference(input: ScoreTopKInput): TopKResult {
  const rows = checkRows(input);
  const { users, itemsT, dim, nItems, k } = input;
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
