import { LmrecError } from '@lmrec/core';
import { gatingFactoriesFromRegistry, REINDEX_ROW, runRtaComparison, type RtaComparisonOptions, type RtaComparisonResult, type RtaVariantResult } from '@lmrec/adapt';
import type { EvalResult } from '@lmrec/eval';
import type { ExperimentContext, ExperimentRunner } from '../context.js';
import type { ExperimentResult, ModelRow } from '../report/types.js';
import { isConversationDataset, loadDataset } from './data.js';
import { aggregatorRef, backboneOf, createAggregator, saveReindexed, type AggregatorRef } from './rta-model.js';

type Study = {
  /** An Aggregator plugin (any package's); default: adapt's identity-initialised "weighted". */
  aggregator?: AggregatorRef;
  aggregators?: AggregatorRef[];
  variants?: string[];
  /** Row label -> GatingRecommender plugin name (or { plugin, options }). */
  recommenders?: Record<string, string | { plugin: string; options?: Record<string, unknown> }>;
  reindex?: RtaComparisonOptions['reindex'];
  bias?: RtaComparisonOptions['bias'];
  gating?: RtaComparisonOptions['gating'];
  recsys?: RtaComparisonOptions['recsys'];
  maxExamples?: RtaComparisonOptions['maxExamples'];
  maxHistory?: number;
};

async function conversationData(ctx: ExperimentContext) {
  const dataset = await loadDataset(ctx, ctx.config.dataset);
  if (!isConversationDataset(dataset)) {
    throw new LmrecError('E_CONFIG', `RTA needs a conversation dataset; loader "${ctx.config.dataset.loader}" gave something else`, { field: 'dataset.loader' });
  }
  return dataset;
}

async function compare(ctx: ExperimentContext, key: string, study: Study, overrides: { aggregator?: AggregatorRef } & Partial<Omit<RtaComparisonOptions, 'aggregator'>> = {}): Promise<RtaComparisonResult> {
  const dataset = await conversationData(ctx);
  const { aggregator, ...rest } = overrides;
  const ref = aggregatorRef(aggregator ?? study.aggregator);
  ctx.registry.parseOptions('Aggregator', ref.name, ref.options, { field: 'study.aggregator.options' }); // fail early: unknown name or options
  return ctx.step(key, async () =>
    runRtaComparison(dataset, {
      backbone: await backboneOf(ctx, dataset),
      aggregator: (dim, seed) => createAggregator(ctx, aggregator ?? study.aggregator, dim, seed),
      recommenders: study.recommenders ? gatingFactoriesFromRegistry(ctx.registry, study.recommenders) : undefined,
      variants: study.variants,
      reindex: study.reindex,
      bias: study.bias,
      gating: study.gating,
      recsys: study.recsys,
      ks: ctx.config.eval.ks ?? [1, 5, 10, 50],
      maxHistory: study.maxHistory,
      maxExamples: study.maxExamples,
      alsoExcludeMentioned: ctx.config.eval.excludeMentioned ?? true,
      keepPerUnit: true,
      seed: ctx.config.seed,
      progress: ctx.progress,
      ...rest,
    }),
  );
}

function rowOf(v: RtaVariantResult, test: EvalResult, label = v.name): ModelRow {
  const { k, ...diagnostics } = v.diagnostics;
  return {
    label,
    metrics: test.metrics,
    perUnit: test.perUnit,
    curve: v.training?.log.map((l) => ({ epoch: l.epoch + 1, loss: l.loss, ...(l.valid === undefined ? {} : { 'hit@10': l.valid }) })),
    popularity: Object.fromEntries(Object.entries(diagnostics).map(([name, value]) => [`${name}@${k}`, value])),
    epochs: v.training?.log.length,
    seconds: v.seconds,
    extra: v.gate === undefined ? {} : { gate: v.gate },
  };
}

function table(result: RtaComparisonResult, ks: readonly number[], title: string, pick: (v: RtaVariantResult) => EvalResult | undefined, note: string, label?: (v: RtaVariantResult) => string): ExperimentResult {
  return {
    title,
    kind: 'rta',
    metricKeys: ks.flatMap((k) => [`hit@${k}`, `ndcg@${k}`]),
    mainMetric: 'hit@10',
    baseline: label ? undefined : REINDEX_ROW,
    rows: result.variants.flatMap((v) => {
      const test = pick(v);
      return test ? [rowOf(v, test, label?.(v))] : [];
    }),
    protocol: { ...result.variants[0]?.test.protocol, dataset: result.dataset, backbone: result.backbone, aggregator: result.aggregator, reindexTraining: result.reindexTraining },
    notes: [note, `backbone: ${result.backbone}`],
  };
}

/** RTA's results table (paper Table 3 layout) on a conversation dataset, both candidate protocols. */
export const runRta: ExperimentRunner = async (ctx) => {
  const study = ctx.config.study as Study;
  const result = await compare(ctx, 'rta-comparison', study, { onReindexed: (aggregator) => saveReindexed(ctx, aggregator, study.aggregator) });
  const ks = ctx.config.eval.ks ?? [1, 5, 10, 50];
  const out = [
    table(result, ks, `RTA comparison on ${result.dataset.name} (reference protocol: mentioned items stay candidates)`, (v) => v.test, 'The reference RTA code does not remove items already mentioned in the conversation.'),
  ];
  if (result.variants.some((v) => v.testExcludeMentioned)) {
    out.push(table(result, ks, `RTA comparison on ${result.dataset.name} (items mentioned in the context removed)`, (v) => v.testExcludeMentioned, 'Same models; candidates exclude items already mentioned in the context (except the target).'));
  }
  return out;
};

/** The aggregator ablation: Reindex (and +Bias b) with each aggregator. */
export const runRtaAggregators: ExperimentRunner = async (ctx) => {
  const study = ctx.config.study as Study;
  const aggregators = study.aggregators ?? ['sum', 'weighted', 'rnn', 'trm'];
  const ks = ctx.config.eval.ks ?? [1, 5, 10, 50];
  const variants = study.variants ?? [REINDEX_ROW, '+Bias b (trainable agg.)'];
  const rows: ModelRow[] = [];
  let last: RtaComparisonResult | undefined;
  for (const aggregator of aggregators) {
    const name = aggregatorRef(aggregator).name;
    last = await compare(ctx, `rta-aggregator-${name}`, study, { aggregator, variants, alsoExcludeMentioned: false });
    rows.push(...table(last, ks, '', (v) => v.test, '', (v) => `${v.name} [${name}]`).rows);
  }
  return [
    {
      title: `RTA aggregator ablation on ${last?.dataset.name ?? 'dataset'}`,
      kind: 'rta-aggregators',
      metricKeys: ks.flatMap((k) => [`hit@${k}`, `ndcg@${k}`]),
      mainMetric: 'hit@10',
      baseline: rows[0]?.label,
      rows,
      notes: [`Aggregators: ${aggregators.map((a) => aggregatorRef(a).name).join(', ')}; rows: ${variants.join(', ')}.`],
    },
  ];
};
