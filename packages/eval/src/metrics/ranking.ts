import { LmrecError, type Metric } from '@lmrec/core';

/*
 * Per-user ranking metrics (EVAL.md). `hits[p]` is 1 when the item at 0-based
 * position p of the top list is a target; only positions p < k are read, so a
 * longer list can be passed with a smaller k.
 */

function hitCount(hits: Uint8Array, k: number): number {
  let c = 0;
  const n = Math.min(k, hits.length);
  for (let p = 0; p < n; p++) c += hits[p];
  return c;
}

/** |R n T| / |T| */
export class Recall implements Metric {
  readonly name = 'recall';
  compute(hits: Uint8Array, nTargets: number, k: number, _topK?: Int32Array): number {
    return nTargets > 0 ? hitCount(hits, k) / nTargets : 0;
  }
}

/** |R n T| / K (K, not the list length, even if fewer than K items could be ranked). */
export class Precision implements Metric {
  readonly name = 'precision';
  compute(hits: Uint8Array, _nTargets: number, k: number, _topK?: Int32Array): number {
    return k > 0 ? hitCount(hits, k) / k : 0;
  }
}

const LOG2_DISCOUNT: number[] = [];
function discount(p: number): number {
  let d = LOG2_DISCOUNT[p];
  if (d === undefined) {
    d = 1 / Math.log2(p + 2);
    LOG2_DISCOUNT[p] = d;
  }
  return d;
}

/** DCG of the hits over the ideal DCG of min(|T|, K) hits at the top. */
export class Ndcg implements Metric {
  readonly name = 'ndcg';
  compute(hits: Uint8Array, nTargets: number, k: number, _topK?: Int32Array): number {
    const n = Math.min(k, hits.length);
    let dcg = 0;
    for (let p = 0; p < n; p++) if (hits[p]) dcg += discount(p);
    if (dcg === 0) return 0;
    let idcg = 0;
    const ideal = Math.min(nTargets, k);
    for (let p = 0; p < ideal; p++) idcg += discount(p);
    return dcg / idcg;
  }
}

/** 1 if any target is in the top K. */
export class HitRate implements Metric {
  readonly name = 'hr';
  compute(hits: Uint8Array, _nTargets: number, k: number, _topK?: Int32Array): number {
    const n = Math.min(k, hits.length);
    for (let p = 0; p < n; p++) if (hits[p]) return 1;
    return 0;
  }
}

/** 1 / (p + 1) for the first hit at 0-based position p < K, else 0. */
export class Mrr implements Metric {
  readonly name = 'mrr';
  compute(hits: Uint8Array, _nTargets: number, k: number, _topK?: Int32Array): number {
    const n = Math.min(k, hits.length);
    for (let p = 0; p < n; p++) if (hits[p]) return 1 / (p + 1);
    return 0;
  }
}

/** Fresh instances of the built-in per-user metrics, by name. */
export function builtinMetrics(): Record<string, Metric> {
  return { recall: new Recall(), precision: new Precision(), ndcg: new Ndcg(), hr: new HitRate(), mrr: new Mrr() };
}

export const DEFAULT_METRICS = ['recall', 'precision', 'ndcg', 'hr', 'mrr'] as const;

export function resolveMetrics(metrics: readonly (Metric | string)[] | undefined): Metric[] {
  const builtins = builtinMetrics();
  const list = (metrics ?? DEFAULT_METRICS).map((m) => {
    if (typeof m !== 'string') return m;
    const found = builtins[m];
    if (!found) {
      throw new LmrecError('E_PLUGIN_UNKNOWN', `no metric named "${m}"`, {
        field: 'metrics',
        hint: `built-in: ${Object.keys(builtins).join(', ')}; pass a Metric object for your own`,
      });
    }
    return found;
  });
  const names = new Set<string>();
  for (const m of list) {
    if (names.has(m.name)) throw new LmrecError('E_ARGUMENT', `metric "${m.name}" is listed twice`, { field: 'metrics' });
    names.add(m.name);
  }
  return list;
}
