import { Csr, LmrecError } from '@lmrec/core';
import type { IdMap, InteractionStats, ItemTable, Quantiles } from './types.js';
import { DenseIdMap, Items } from './idmap.js';

export interface InteractionDatasetInit {
  name: string;
  users: DenseIdMap;
  items: Items;
  interactions: Csr;
  /** Aligned with `interactions.indices`. */
  ratings?: Float32Array;
  /** Unix seconds (or the file's unit), aligned with `interactions.indices`. */
  timestamps?: Float64Array;
}

/**
 * Users x items 0/1 interactions as CSR (sorted item ids per user), with
 * stable id maps and optional per-entry rating and timestamp.
 */
export class InteractionDataset {
  readonly name: string;
  readonly users: DenseIdMap & IdMap;
  readonly items: Items & ItemTable;
  readonly interactions: Csr;
  readonly ratings?: Float32Array;
  readonly timestamps?: Float64Array;

  constructor(init: InteractionDatasetInit) {
    this.name = init.name;
    this.users = init.users;
    this.items = init.items;
    this.interactions = init.interactions;
    this.ratings = init.ratings;
    this.timestamps = init.timestamps;
    const { nRows, nCols, nnz } = init.interactions;
    if (nRows !== init.users.size || nCols !== init.items.size) {
      throw new LmrecError('E_SHAPE', `interactions are ${nRows} x ${nCols} but there are ${init.users.size} users and ${init.items.size} items`);
    }
    if (init.items.titles.length !== init.items.size) throw new LmrecError('E_SHAPE', `${init.items.titles.length} titles for ${init.items.size} items`);
    if (init.ratings && init.ratings.length !== nnz) throw new LmrecError('E_SHAPE', 'ratings must align with the interactions');
    if (init.timestamps && init.timestamps.length !== nnz) throw new LmrecError('E_SHAPE', 'timestamps must align with the interactions');
  }

  stats(): InteractionStats {
    const m = this.interactions;
    const userDeg = new Float64Array(m.nRows);
    for (let u = 0; u < m.nRows; u++) userDeg[u] = m.indptr[u + 1] - m.indptr[u];
    const itemDeg = new Float64Array(m.nCols);
    for (let k = 0; k < m.nnz; k++) itemDeg[m.indices[k]]++;
    const cells = m.nRows * m.nCols;
    return {
      users: m.nRows,
      items: m.nCols,
      interactions: m.nnz,
      density: cells > 0 ? m.nnz / cells : 0,
      userDegree: quantiles(userDeg),
      itemDegree: quantiles(itemDeg),
    };
  }

  /** Keep the entries where keep(k) is true (k indexes interactions.indices); users and items stay. */
  filterEntries(keep: (k: number) => boolean, name = this.name): InteractionDataset {
    const m = this.interactions;
    const indptr = new Int32Array(m.nRows + 1);
    const mask = new Uint8Array(m.nnz);
    let w = 0;
    for (let u = 0; u < m.nRows; u++) {
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
        if (keep(k)) {
          mask[k] = 1;
          w++;
        }
      }
      indptr[u + 1] = w;
    }
    const indices = new Int32Array(w);
    const ratings = this.ratings ? new Float32Array(w) : undefined;
    const timestamps = this.timestamps ? new Float64Array(w) : undefined;
    let j = 0;
    for (let k = 0; k < m.nnz; k++) {
      if (!mask[k]) continue;
      indices[j] = m.indices[k];
      if (ratings) ratings[j] = this.ratings![k];
      if (timestamps) timestamps[j] = this.timestamps![k];
      j++;
    }
    return new InteractionDataset({ name, users: this.users, items: this.items, interactions: new Csr(m.nRows, m.nCols, indptr, indices), ratings, timestamps });
  }

  /** Restrict to some users and items (old dense ids, ascending), renumbering both. */
  subset(keepUsers: Int32Array, keepItems: Int32Array, name = this.name): InteractionDataset {
    const m = this.interactions;
    const newItem = new Int32Array(m.nCols).fill(-1);
    keepItems.forEach((old, i) => (newItem[old] = i));
    let nnz = 0;
    for (const u of keepUsers) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) if (newItem[m.indices[k]] >= 0) nnz++;
    const indptr = new Int32Array(keepUsers.length + 1);
    const indices = new Int32Array(nnz);
    const ratings = this.ratings ? new Float32Array(nnz) : undefined;
    const timestamps = this.timestamps ? new Float64Array(nnz) : undefined;
    let w = 0;
    keepUsers.forEach((u, r) => {
      for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
        const j = newItem[m.indices[k]];
        if (j < 0) continue;
        indices[w] = j; // old order is ascending and the renumbering is monotone, so rows stay sorted
        if (ratings) ratings[w] = this.ratings![k];
        if (timestamps) timestamps[w] = this.timestamps![k];
        w++;
      }
      indptr[r + 1] = w;
    });
    return new InteractionDataset({
      name,
      users: this.users.subset(keepUsers),
      items: this.items.subset(keepItems),
      interactions: new Csr(keepUsers.length, keepItems.length, indptr, indices),
      ratings,
      timestamps,
    });
  }
}

export function quantiles(values: Float64Array): Quantiles {
  const n = values.length;
  if (n === 0) return { min: 0, p25: 0, median: 0, p75: 0, p90: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  // Linear interpolation between order statistics (numpy's default).
  const at = (q: number) => {
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return { min: sorted[0], p25: at(0.25), median: at(0.5), p75: at(0.75), p90: at(0.9), max: sorted[n - 1], mean: sum / n };
}
