import { expect } from 'vitest';
import { Rng, type Metric } from '@lmrec/core';
import { registerSuite, type Suite } from './suite.js';

/**
 * The edge cases every metric is checked at, with K = 5 (top list of 7, so
 * positions 5 and 6 lie beyond K) unless said otherwise. The case supplies
 * the value it must give at each, worked out by hand.
 */
export const METRIC_EDGES = {
  /** No hit in the top K (hits only beyond K), 2 targets. */
  none: { hits: [0, 0, 0, 0, 0, 1, 1], nTargets: 2, k: 5 },
  /** Every one of the K positions a hit, 5 targets. */
  all: { hits: [1, 1, 1, 1, 1, 0, 0], nTargets: 5, k: 5 },
  /** One hit at rank 1 of 2 targets. */
  first: { hits: [1, 0, 0, 0, 0, 0, 0], nTargets: 2, k: 5 },
  /** One hit at rank K of 2 targets. */
  last: { hits: [0, 0, 0, 0, 1, 0, 0], nTargets: 2, k: 5 },
  /** K hits of 10 targets (more targets than K). */
  manyTargets: { hits: [1, 1, 1, 1, 1, 1, 1], nTargets: 10, k: 5 },
  /** Hits at ranks 2 and 4 of 3 targets. */
  mixed: { hits: [0, 1, 0, 1, 0, 0, 1], nTargets: 3, k: 5 },
  /** K = 1, a hit, 1 target. */
  single: { hits: [1], nTargets: 1, k: 1 },
} as const;

export type MetricEdge = keyof typeof METRIC_EDGES;

export interface MetricCase {
  /** The metric's name (its `name` must equal it). */
  name: string;
  create(): Metric;
  /** The value at every edge case of METRIC_EDGES, computed by hand. */
  expected: Record<MetricEdge, number>;
  /** Values lie in this closed range. Default [0, 1]; null skips. */
  range?: readonly [number, number] | null;
  /** Adding a hit inside the top K never lowers the value. Default true. */
  monotone?: boolean;
}

const compute = (m: Metric, e: { hits: readonly number[]; nTargets: number; k: number }) =>
  m.compute(Uint8Array.from(e.hits), e.nTargets, e.k, Int32Array.from(e.hits, (_, p) => p * 3));

/**
 * The Metric contract: the hand values at the edge cases, then, over random
 * inputs, a finite deterministic value in range that reads only positions
 * p < k, does not mutate its inputs and never drops when a miss inside the
 * top K becomes a hit.
 */
export function metricSuite(c: MetricCase): Suite {
  const range = c.range === undefined ? ([0, 1] as const) : c.range;
  return {
    title: `Metric contract: ${c.name}`,
    checks: [
      {
        title: 'has the configured name and gives the hand-computed values at the edge cases',
        run: () => {
          const metric = c.create();
          expect(metric.name).toBe(c.name);
          for (const [edge, input] of Object.entries(METRIC_EDGES) as [MetricEdge, (typeof METRIC_EDGES)[MetricEdge]][]) {
            expect(compute(metric, input), `edge case "${edge}"`).toBeCloseTo(c.expected[edge], 6);
          }
        },
      },
      {
        title: 'is finite, in range, deterministic, reads only the first k positions and never mutates its input',
        run: () => {
          const metric = c.create();
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
            expect(Number.isFinite(v), `trial ${trial}`).toBe(true);
            if (range) expect(v >= range[0] && v <= range[1], `value ${v} outside [${range}]`).toBe(true);
            expect(metric.compute(hits, nTargets, k, topK)).toBe(v);
            expect(hits).toEqual(before);
            const tail = hits.slice();
            for (let p = k; p < len; p++) tail[p] = 1 - tail[p];
            expect(metric.compute(tail, nTargets, k, topK), 'positions >= k changed the value').toBe(v);
          }
        },
      },
      {
        title: 'never drops when a miss inside the top K becomes a hit',
        run: (ctx) => {
          if (c.monotone === false) return ctx.skip('the case says the metric is not monotone');
          const metric = c.create();
          const rng = new Rng(18);
          for (let trial = 0; trial < 200; trial++) {
            const k = 1 + rng.int(12);
            const hits = Uint8Array.from({ length: k }, () => (rng.float() < 0.3 ? 1 : 0));
            const topK = Int32Array.from({ length: k }, (_, p) => p);
            const inTop = hits.reduce((a, b) => a + b, 0);
            const nTargets = inTop + 1 + rng.int(3);
            const miss = Array.from(hits).indexOf(0);
            if (miss < 0) continue;
            const more = hits.slice();
            more[miss] = 1;
            expect(metric.compute(more, nTargets, k, topK)).toBeGreaterThanOrEqual(metric.compute(hits, nTargets, k, topK));
          }
        },
      },
    ],
  };
}

/** Registers the Metric contract for one implementation. */
export function metricContract(c: MetricCase): void {
  registerSuite(metricSuite(c));
}
