import { pairedBootstrap, pairedTTest } from '@lmrec/eval';
import type { ExperimentResult, Significance } from './report/types.js';

/**
 * Paired tests of every row against the experiment's baseline on each metric
 * whose per-unit values both rows kept (same users / examples, same order).
 */
export function addSignificance(exp: ExperimentResult, seed: number): ExperimentResult {
  const base = exp.rows.find((r) => r.label === exp.baseline);
  if (!base?.perUnit) return exp;
  const significance: Significance[] = [];
  for (const row of exp.rows) {
    if (row === base || !row.perUnit) continue;
    for (const metric of exp.metricKeys) {
      const a = row.perUnit[metric];
      const b = base.perUnit[metric];
      if (!a || !b || a.length !== b.length || a.length < 2) continue;
      const t = pairedTTest(a, b);
      const ci = pairedBootstrap(a, b, { iterations: 1000, seed, alpha: 0.05 });
      significance.push({ label: row.label, metric, diff: t.meanDiff, p: t.p, ciLow: ci.lower, ciHigh: ci.upper });
    }
  }
  return { ...exp, significance };
}
