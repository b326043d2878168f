import { LmrecError, topKBlock } from '@lmrec/core';
import { gini, popularityRanks } from '@lmrec/eval';

/** How much a model's top-K lists concentrate on popular items. */
export interface PopularityDiagnostics {
  k: number;
  /** Mean popularity percentile of recommended items: 1 = most popular item, 0 = least (ties averaged). */
  meanPopularityPercentile: number;
  /** Gini of item exposure over the whole catalogue (0 = even, near 1 = a few items take every slot). */
  giniExposure: number;
  /** Share of top-K slots that go to the 10% most popular items (ties to the lower id). */
  topDecileShare: number;
  /** Share of the catalogue shown at least once. */
  coverage: number;
}

/**
 * Accumulates top-K lists and reports popularity-bias diagnostics.
 * `popularity` is the train mention count per item.
 */
export class PopularityDiagnosticsAccumulator {
  private readonly percentile: Float64Array;
  private readonly head: Uint8Array;
  private readonly exposure: Float64Array;
  private slots = 0;
  private headSlots = 0;
  private percentileSum = 0;

  constructor(
    readonly popularity: ArrayLike<number>,
    readonly k = 10,
  ) {
    const n = popularity.length;
    if (n < 2) throw new LmrecError('E_ARGUMENT', 'popularity diagnostics need at least 2 items');
    const ranks = popularityRanks(popularity);
    this.percentile = Float64Array.from(ranks, (r) => (n - r) / (n - 1));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => popularity[b] - popularity[a] || a - b);
    this.head = new Uint8Array(n);
    for (const i of order.slice(0, Math.max(1, Math.ceil(n / 10)))) this.head[i] = 1;
    this.exposure = new Float64Array(n);
  }

  /** One top-K list (ids, -1 = empty slot). */
  addList(ids: ArrayLike<number>): void {
    for (let p = 0; p < ids.length; p++) {
      const j = ids[p];
      if (j < 0) continue;
      this.slots++;
      this.exposure[j]++;
      this.percentileSum += this.percentile[j];
      this.headSlots += this.head[j];
    }
  }

  /** Top-K of each row of a score block [rows, nItems] (ties to the lower id). */
  addScores(scores: Float32Array, rows: number): void {
    const n = this.popularity.length;
    const top = topKBlock(scores, rows, n, this.k);
    for (let r = 0; r < rows; r++) this.addList(top.ids.subarray(r * this.k, (r + 1) * this.k));
  }

  result(): PopularityDiagnostics {
    let shown = 0;
    for (const e of this.exposure) if (e > 0) shown++;
    return {
      k: this.k,
      meanPopularityPercentile: this.slots ? this.percentileSum / this.slots : NaN,
      giniExposure: gini(this.exposure),
      topDecileShare: this.slots ? this.headSlots / this.slots : NaN,
      coverage: shown / this.exposure.length,
    };
  }
}
