import { LmrecError } from '@lmrec/core';
import { gatingFactoriesFromRegistry, runRtaComparison, type RtaComparisonOptions, type RtaComparisonResult } from '@lmrec/adapt';
import type { ConversationDataset } from '@lmrec/datasets';
import { aggregatorUse, DEFAULT_BACKBONE, gatingUse } from '../config/sections.js';
import type { AggregatorRef, RtaStudy } from '../config/study.js';
import { safeName, type ExperimentContext } from '../context.js';
import { isConversationDataset, loadDataset } from './data.js';
import { backboneOf, createAggregator } from './rta-model.js';

/**
 * The per-row hook of runRtaComparison (adapt): called once per comparison
 * row with the row's key, the rows it depends on, and the work (which may
 * checkpoint into the folder it is given). The runner answers with the row's
 * finished result when its step key is unchanged.
 */
export type RtaRowStep = <T>(key: string, dependsOn: readonly string[], run: (checkpointDir: string) => Promise<T>) => Promise<T>;

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
    study: options,
    seed: ctx.config.seed,
  };
}

/**
 * The runner's answer to adapt's per-row hook: each row a step of its own,
 * keyed by the whole comparison's material plus the row and the rows it
 * depends on, with its own checkpoint folder (kept after the row finishes:
 * rows that depend on it may read it).
 */
export function rtaRowStep(ctx: ExperimentContext, c: Pick<Comparison, 'id' | 'label'>, material: unknown): RtaRowStep {
  return async (key, dependsOn, run) =>
    (await ctx.steps.run({ id: `${c.id}-row-${safeName(key)}`, label: `${c.label}: ${key}` }, { comparison: material, row: key, dependsOn: [...dependsOn] }, run)).value;
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
    maxExamples: study.maxExamples,
    alsoExcludeMentioned: ctx.config.eval.excludeMentioned ?? true,
    ...c.overrides,
  };
  const { onReindexed, ...keyed } = settings as typeof settings & { onReindexed?: unknown };
  const material = await comparisonMaterial(ctx, c, study, keyed);
  const step = rtaRowStep(ctx, c, material);
  const outcome = await ctx.steps.run({ id: c.id, label: c.label }, material, async () => {
    const dataset = await conversationData(ctx);
    const options: RtaComparisonOptions & { step: RtaRowStep } = {
      ...settings,
      backbone: await backboneOf(ctx, dataset),
      aggregator: (dim, seed) => createAggregator(ctx, c.aggregator, dim, seed, c.aggregatorField),
      recommenders: study.recommenders ? gatingFactoriesFromRegistry(ctx.registry, study.recommenders) : undefined,
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
