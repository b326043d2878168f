import { LmrecError } from '@lmrec/core';

/**
 * List-level diagnostics over every user's top-K list: they have no per-user
 * value, so they stream through an accumulator (memory O(nItems), not
 * O(users)) and report one number each.
 */
export interface AggregateContext {
  readonly nItems: number;
  readonly k: number;
  /** Training interactions per item. */
  readonly popularity: Float64Array;
  /** 1 = most popular item; tied items share the average of their ranks. */
  readonly popularityRank: Float64Array;
}

export interface AggregateAccumulator {
  /** One user's top list (length k, -1 where fewer than k items could be ranked). */
  add(topK: Int32Array): void;
  result(): number;
}

export interface AggregateMetric {
  readonly name: string;
  start(context: AggregateContext): AggregateAccumulator;
}

/** Share of the catalogue that appears in at least one top-K list. */
export class CatalogueCoverage implements AggregateMetric {
  readonly name = 'coverage';
  start({ nItems }: AggregateContext): AggregateAccumulator {
    const seen = new Uint8Array(nItems);
    let distinct = 0;
    return {
      add(topK) {
        for (let p = 0; p < topK.length; p++) {
          const j = topK[p];
          if (j >= 0 && !seen[j]) {
            seen[j] = 1;
            distinct++;
          }
        }
      },
      result: () => (nItems > 0 ? distinct / nItems : NaN),
    };
  }
}

/** Mean popularity rank (1 = most popular) of every recommended item; lower = more popularity-biased. */
export class MeanPopularityRank implements AggregateMetric {
  readonly name = 'poprank';
  start({ popularityRank }: AggregateContext): AggregateAccumulator {
    let sum = 0;
    let count = 0;
    return {
      add(topK) {
        for (let p = 0; p < topK.length; p++) {
          const j = topK[p];
          if (j >= 0) {
            sum += popularityRank[j];
            count++;
          }
        }
      },
      result: () => (count > 0 ? sum / count : NaN),
    };
  }
}

/**
 * Gini coefficient of item exposure (how often each catalogue item appears in
 * the top-K lists, zero-exposure items included): 0 = every item shown
 * equally often, near 1 = a few items take all exposure.
 */
export class GiniExposure implements AggregateMetric {
  readonly name = 'gini';
  start({ nItems }: AggregateContext): AggregateAccumulator {
    const counts = new Float64Array(nItems);
    return {
      add(topK) {
        for (let p = 0; p < topK.length; p++) if (topK[p] >= 0) counts[topK[p]]++;
      },
      result: () => gini(counts),
    };
  }
}

/** Gini of non-negative values: sum_i (2i - n - 1) x_(i) / (n sum x), x sorted ascending, i 1-based. */
export function gini(values: ArrayLike<number>): number {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (2 * (i + 1) - n - 1) * sorted[i];
  }
  return total > 0 ? weighted / (n * total) : 0;
}

/** 1-based popularity ranks (most popular first), ties averaged. */
export function popularityRanks(popularity: ArrayLike<number>): Float64Array {
  const n = popularity.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => popularity[b] - popularity[a] || a - b);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && popularity[order[end]] === popularity[order[start]]) end++;
    const avg = (start + 1 + end) / 2; // mean of 1-based ranks start+1..end
    for (let p = start; p < end; p++) ranks[order[p]] = avg;
    start = end;
  }
  return ranks;
}

export function builtinAggregates(): Record<string, AggregateMetric> {
  return { coverage: new CatalogueCoverage(), poprank: new MeanPopularityRank(), gini: new GiniExposure() };
}

export function resolveAggregates(list: readonly (AggregateMetric | string)[] | undefined): AggregateMetric[] {
  const builtins = builtinAggregates();
  return (list ?? Object.keys(builtins)).map((m) => {
    if (typeof m !== 'string') return m;
    const found = builtins[m];
    if (!found) {
      throw new LmrecError('E_PLUGIN_UNKNOWN', `no aggregate metric named "${m}"`, {
        field: 'aggregates',
        hint: `built-in: ${Object.keys(builtins).join(', ')}`,
      });
    }
    return found;
  });
}
