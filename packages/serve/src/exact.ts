import { Csr, LmrecError, scoreTopK } from '@lmrec/core';
import type { FactorTables } from '@lmrec/vectors';
import { unit } from './unit.js';
import type { QueryEncoders, QueryPlan, QuerySource, RankedItem, Ranker } from './service.js';

/** A factorised model in memory: what the exact scorer serves. */
export interface FactorModel extends QueryEncoders, FactorTables {
  name: string;
}

// core's scoreTopK runs its WebAssembly kernel from 4 rows up and plain JS
// below; at 1M items the kernel is ~2x faster even with 3 zero rows added.
const MIN_KERNEL_ROWS = 4;

/**
 * Exact top-k: every query of a batch against every item in one call of
 * core's fused score + mask + top-K kernel (ties to the lower id). Cosine
 * models are ranked on unit vectors, so scores are cosines.
 */
export class ExactRanker implements Ranker {
  readonly backend = 'exact' as const;
  private readonly itemsT: Float32Array;

  constructor(private readonly model: FactorModel) {
    checkModel(model);
    this.itemsT = model.score === 'cosine' ? unitColumns(model.itemsT, model.dim, model.nItems) : model.itemsT;
  }

  async rank(plans: readonly QueryPlan[]): Promise<RankedItem[][]> {
    const { dim, nItems } = this.model;
    const rows = Math.max(plans.length, MIN_KERNEL_ROWS);
    const users = new Float32Array(rows * dim);
    const indptr = new Int32Array(rows + 1);
    plans.forEach((p, r) => {
      users.set(this.model.score === 'cosine' ? unit(p.vector) : p.vector, r * dim);
      indptr[r + 1] = indptr[r] + p.exclude.length;
    });
    for (let r = plans.length; r < rows; r++) indptr[r + 1] = indptr[r];
    const indices = new Int32Array(indptr[rows]);
    plans.forEach((p, r) => indices.set(p.exclude, indptr[r]));
    const k = Math.min(nItems, Math.max(...plans.map((p) => p.k)));
    const top = scoreTopK({ users, itemsT: this.itemsT, dim, nItems, k, exclude: new Csr(rows, nItems, indptr, indices) });
    return plans.map((p, r) => {
      const out: RankedItem[] = [];
      for (let i = 0; i < Math.min(p.k, k); i++) {
        const id = top.ids[r * k + i];
        if (id < 0) break;
        out.push({ id, title: this.model.titles?.[id] ?? '', score: top.scores[r * k + i] });
      }
      return out;
    });
  }

  async title(id: number): Promise<string | undefined> {
    return Number.isInteger(id) && id >= 0 && id < this.model.nItems ? (this.model.titles?.[id] ?? '') : undefined;
  }
}

/** The planner's view of an in-memory model. */
export function factorSource(model: FactorModel): QuerySource {
  const nUsers = model.users ? model.users.length / model.dim : 0;
  return {
    name: model.name,
    score: model.score,
    dim: model.dim,
    nItems: model.nItems,
    nUsers,
    history: model.history?.bind(model),
    intention: model.intention?.bind(model),
    conversation: model.conversation?.bind(model),
    async user(id) {
      if (!model.users || !(id >= 0 && id < nUsers)) return undefined;
      return { vector: model.users.subarray(id * model.dim, (id + 1) * model.dim), seen: model.seen ? model.seen.row(id) : [] };
    },
  };
}

function checkModel(m: FactorModel): void {
  const bad = (field: string, message: string) => new LmrecError('E_SHAPE', `model ${m.name}: ${message}`, { field });
  if (m.itemsT.length !== m.dim * m.nItems) throw bad('itemsT', `itemsT has ${m.itemsT.length} values, expected dim x nItems = ${m.dim * m.nItems}`);
  if (m.titles && m.titles.length !== m.nItems) throw bad('titles', `${m.titles.length} titles for ${m.nItems} items`);
  if (m.users && m.users.length % m.dim !== 0) throw bad('users', `users has ${m.users.length} values, not a multiple of dim ${m.dim}`);
  const nUsers = m.users ? m.users.length / m.dim : 0;
  if (m.seen && (m.seen.nRows !== nUsers || m.seen.nCols !== m.nItems)) throw bad('seen', `seen is ${m.seen.nRows} x ${m.seen.nCols}, expected ${nUsers} x ${m.nItems}`);
}


/** Columns of [dim, n] scaled to unit length (zero columns stay zero). */
function unitColumns(itemsT: Float32Array, dim: number, n: number): Float32Array {
  const norms = new Float64Array(n);
  for (let c = 0; c < dim; c++) for (let j = 0; j < n; j++) norms[j] += itemsT[c * n + j] ** 2;
  const out = new Float32Array(itemsT.length);
  for (let c = 0; c < dim; c++) for (let j = 0; j < n; j++) out[c * n + j] = norms[j] > 0 ? itemsT[c * n + j] / Math.sqrt(norms[j]) : 0;
  return out;
}
