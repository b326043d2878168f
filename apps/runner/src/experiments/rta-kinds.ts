import { REINDEX_ROW, type RtaComparisonResult } from '@lmrec/adapt';
import { aggregatorUse } from '../config/sections.js';
import type { RtaStudy } from '../config/study.js';
import { safeName, type ExperimentRunner } from '../context.js';
import { aggregatorLabel, aggregatorVariants } from '../plan/labels.js';
import type { ModelRow } from '../report/types.js';
import { compare } from './rta.js';
import { saveReindexed } from './rta-model.js';
import { rtaMetricKeys, rtaRows, rtaTable } from './rta-table.js';

/** RTA's results table (paper Table 3 layout) on a conversation dataset, both candidate protocols. */
export const runRta: ExperimentRunner = async (ctx) => {
  const study = ctx.config.study as RtaStudy;
  const comparison = { id: 'rta-comparison', label: 'RTA comparison', aggregator: study.aggregator, aggregatorField: 'study.aggregator' };
  const { result, step } = await compare(ctx, { ...comparison, overrides: { onReindexed: (aggregator) => saveReindexed(ctx, aggregator, study.aggregator) } }, study);
  const ks = ctx.config.eval.ks ?? [1, 5, 10, 50];
  const baseline = ctx.config.eval.baseline ?? REINDEX_ROW;
  const name = result.dataset.name;
  const out = [rtaTable(result, ks, `RTA comparison on ${name} (reference protocol: mentioned items stay candidates)`, (v) => v.test, 'The reference RTA code does not remove items already mentioned in the conversation.', baseline, step)];
  if (result.variants.some((v) => v.testExcludeMentioned)) {
    const note = 'Same models; candidates exclude items already mentioned in the context (except the target).';
    out.push(rtaTable(result, ks, `RTA comparison on ${name} (items mentioned in the context removed)`, (v) => v.testExcludeMentioned, note, baseline, step));
  }
  return out;
};

/** The aggregator ablation: Reindex (and +Bias b) with each aggregator. */
export const runRtaAggregators: ExperimentRunner = async (ctx) => {
  const study = ctx.config.study as RtaStudy;
  const aggregators = study.aggregators ?? [];
  const ks = ctx.config.eval.ks ?? [1, 5, 10, 50];
  const rows: ModelRow[] = [];
  let last: RtaComparisonResult | undefined;
  for (const [i, aggregator] of aggregators.entries()) {
    const label = aggregatorLabel(aggregator);
    const comparison = { id: `rta-aggregator-${safeName(label)}`, label: `study.aggregators.${i} (${label})`, aggregator, aggregatorField: `study.aggregators.${i}` };
    const own = typeof aggregator === 'object' ? aggregator : {};
    const reindex = 'reindex' in own && own.reindex ? { ...study.reindex, ...own.reindex } : study.reindex;
    const variants = aggregatorVariants(study, aggregator);
    const { result, step } = await compare(ctx, { ...comparison, overrides: { variants, reindex, alsoExcludeMentioned: false } }, study);
    last = result;
    rows.push(...rtaRows(result, (v) => v.test, (v) => `${v.name} [${label}]`, step).map((r) => ({ ...r, source: r.label })));
  }
  return [
    {
      title: `RTA aggregator ablation on ${last?.dataset.name ?? 'dataset'}`,
      kind: 'rta-aggregators',
      metricKeys: rtaMetricKeys(ks),
      mainMetric: 'hit@10',
      baseline: rows.find((r) => r.label === ctx.config.eval.baseline)?.label ?? rows[0]?.label,
      rows,
      notes: [`Aggregators: ${aggregators.map((a) => `${aggregatorLabel(a)} (${aggregatorUse(a).name}): ${aggregatorVariants(study, a).join(', ')}`).join('; ')}.`],
    },
  ];
};
