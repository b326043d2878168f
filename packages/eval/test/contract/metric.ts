import { expect, it } from 'vitest';
import { Rng, type Metric } from '@lmrec/core';

/**
 * What every Metric plugin must satisfy: a finite, deterministic value that
 * reads only positions p < k, does not mutate its inputs, and never drops
 * when a miss inside the top k becomes a hit.
 */
export function metricContract(name: string, create: () => Metric): void {
  it(`${name}: name, determinism, no mutation, first-k only, monotone in hits`, () => {
    const metric = create();
    expect(metric.name).toBe(name);
    const rng = new Rng(17);
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + rng.int(12);
      const len = k + rng.int(5);
      const hits = Uint8Array.from({ length: len }, () => (rng.float() < 0.3 ? 1 : 0));
      const topK = Int32Array.from({ length: len }, (_, p) => p * 3);
      let inTop = 0;
      for (let p = 0; p < k; p++) inTop += hits[p];
      const nTargets = Math.max(1, inTop + rng.int(4));
      const before = hits.slice();
      const v = metric.compute(hits, nTargets, k, topK);
      expect(Number.isFinite(v)).toBe(true);
      expect(metric.compute(hits, nTargets, k, topK)).toBe(v);
      expect(hits).toEqual(before);
      const tail = hits.slice();
      for (let p = k; p < len; p++) tail[p] = 1 - tail[p];
      expect(metric.compute(tail, nTargets, k, topK)).toBe(v);
      const miss = Array.from(hits.subarray(0, k)).indexOf(0);
      if (miss >= 0 && inTop < nTargets) {
        const more = hits.slice();
        more[miss] = 1;
        expect(metric.compute(more, nTargets, k, topK)).toBeGreaterThanOrEqual(v);
      }
    }
  });
}
