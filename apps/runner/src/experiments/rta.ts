import { LmrecError } from '@lmrec/core';
import { gatingFactoriesFromRegistry, runRtaComparison, type RtaComparisonOptions, type RtaComparisonResult, type RtaStep } from '@lmrec/adapt';
import type { ConversationDataset } from '@lmrec/datasets';
import { aggregatorUse, DEFAULT_BACKBONE, gatingUse } from '../config/sections.js';
import type { AggregatorRef, RtaStudy } from '../config/study.js';
import { safeName, type ExperimentContext } from '../context.js';
import { isConversationDataset, loadDataset } from './data.js';
import { crsMaterial, crsModelsOf } from './rta-crs.js';
import { backboneOf, createAggregator } from './rta-model.js';


export async function conversationData(ctx: ExperimentContext): Promise<ConversationDataset> {
  const dataset = await loadDataset(ctx, ctx.config.dataset);
  if (!isConversationDataset(dataset)) {
    throw new LmrecError('E_CONFIG', `RTA needs a conversation dataset; loader "${ctx.config.dataset.loader}" gave something else`, ctx.where('dataset.loader'));
  }
  return dataset;
}

export interface Comparison {
  /** Step id and label, e.g. "rta-comparison" / "RTA comparison". */
  id: string;
  label: string;
  aggregator: AggregatorRef | undefined;
  aggregatorField: string;
  overrides?: Partial<Omit<RtaComparisonOptions, 'aggregator'>>;
}

/** Everything a comparison's results depend on: its step key material (and every row's). */
async function comparisonMaterial(ctx: ExperimentContext, c: Comparison, study: RtaStudy, options: Record<string, unknown>) {
  const recommenders = study.recommenders
    ? Object.fromEntries(await Promise.all(Object.entries(study.recommenders).map(async ([label, ref]) => [label, await ctx.material('GatingRecommender', gatingUse(ref), `study.recommenders.${label}`)])))
    : 'FISM and SASRec (adapt defaults)';
  return {
    data: await ctx.material('DatasetLoader', { name: ctx.config.dataset.loader, options: ctx.config.dataset.options }, 'dataset'),
    backbone: await ctx.material('Backbone', ctx.config.backbone ?? DEFAULT_BACKBONE, 'backbone'),
    aggregator: await ctx.material('Aggregator', aggregatorUse(c.aggregator), c.aggregatorField),
    recommenders,
    // Under `study`, which per-row keys leave out: adding a CRS row reuses every finished row (CRS rows key on their model's id).
    study: study.crs ? { ...options, crs: await crsMaterial(ctx, study) } : options,
    seed: ctx.config.seed,
  };
}

/**
 * The runner's answer to adapt's per-row hook: each row a step of its own,
 * keyed by the plugins the comparison uses (data fingerprints, backbone,
 * aggregator, gating models, seed), the row, and what adapt says the row
 * depends on (its training options with defaults, the initial weights, the
 * reindexed weights it starts from), so changing `study.bias` retrains only
 * the bias rows. Each row keeps its checkpoint folder after it finishes: rows
 * that depend on it read it.
 */
export function rtaRowStep(ctx: ExperimentContext, c: Pick<Comparison, 'id' | 'label'>, material: Record<string, unknown> & { study?: unknown }): RtaStep {
  const { study: _wholeStudy, ...plugins } = material;
  return async (key, dependsOn, run) =>
    (await ctx.steps.run({ id: `${c.id}-row-${safeName(key)}`, label: `${c.label}: ${key}` }, { plugins, row: key, dependsOn }, run)).value;
}

/** One RTA comparison as a step, its rows as steps of their own (adapt's `step` hook), so a killed run resumes per row. */
export async function compare(ctx: ExperimentContext, c: Comparison, study: RtaStudy): Promise<{ result: RtaComparisonResult; step: { hash: string; config: unknown } }> {
  const settings = {
    variants: study.variants,
    reindex: study.reindex,
    bias: study.bias,
    gating: study.gating,
    recsys: study.recsys,
    ks: ctx.config.eval.ks ?? [1, 5, 10, 50],
    maxHistory: study.maxHistory,
    history: study.history,
    popularity: study.popularity,
    ddof: study.ddof,
    maxExamples: study.maxExamples,
    alsoExcludeMentioned: ctx.config.eval.excludeMentioned ?? true,
    ...c.overrides,
  };
  const { onReindexed, ...keyed } = settings as typeof settings & { onReindexed?: unknown };
  const material = await comparisonMaterial(ctx, c, study, keyed);
  const step = rtaRowStep(ctx, c, material);
  const outcome = await ctx.steps.run({ id: c.id, label: c.label }, material, async () => {
    const dataset = await conversationData(ctx);
    const options: RtaComparisonOptions = {
      ...settings,
      backbone: await backboneOf(ctx, dataset),
      aggregator: (dim, seed) => createAggregator(ctx, c.aggregator, dim, seed, c.aggregatorField),
      recommenders: study.recommenders ? gatingFactoriesFromRegistry(ctx.registry, study.recommenders) : undefined,
      crsModels: await crsModelsOf(ctx, study),
      keepPerUnit: true,
      seed: ctx.config.seed,
      progress: ctx.progress,
      onReindexed: onReindexed as RtaComparisonOptions['onReindexed'],
      step,
    };
    return runRtaComparison(dataset, options);
  });
  return { result: outcome.value, step: { hash: outcome.key, config: material } };
}
