import type { ExperimentContext } from '../context.js';
import type { ExperimentResult, ModelRow } from '../report/types.js';
import { evalKs, selectionMetric } from './cf-row.js';
import type { CfData } from './data.js';

export function metricKeys(ks: readonly number[], families = ['recall', 'ndcg', 'hr']): string[] {
  return ks.flatMap((k) => families.map((f) => `${f}@${k}`));
}

/** The row `eval.baseline` names (by its table label or the config's name for it); default the first row. */
export function baselineRow(rows: readonly ModelRow[], baseline: string | undefined, fallback = rows[0]?.label): string | undefined {
  if (baseline === undefined) return fallback;
  return rows.find((r) => r.label === baseline)?.label ?? rows.find((r) => r.source === baseline)?.label ?? fallback;
}

export function cfExperiment(ctx: ExperimentContext, title: string, data: CfData, rows: ModelRow[], fallbackBaseline?: string): ExperimentResult {
  const metric = selectionMetric(ctx);
  return {
    title,
    kind: ctx.config.experiment,
    metricKeys: metricKeys(evalKs(ctx)),
    mainMetric: metric,
    baseline: baselineRow(rows, ctx.config.eval.baseline, fallbackBaseline ?? rows[0]?.label),
    rows,
    protocol: {
      dataset: data.stats,
      selection: `epoch selected on VALID ${metric}; test evaluated once`,
      masking: 'train + valid items masked at test unless they are targets',
      ties: 'lower item id first',
    },
    notes: rows.flatMap((r) => (r.extra?.warning ? [`${r.label}: ${r.extra.warning}`] : [])),
  };
}
