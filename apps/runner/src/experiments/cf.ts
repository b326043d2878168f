import { join } from 'node:path';
import { DEPS, LmrecError, type Recommender, type TextEncoder } from '@lmrec/core';
import { Container } from 'inversify';
import { evaluateFullRanking, type EvalResult } from '@lmrec/eval';
import type { ModelConfig, PluginRef } from '../config/schema.js';
import { modelDir, safeName, type ExperimentContext, type ExperimentRunner } from '../context.js';
import type { CurvePoint, ExperimentResult, ModelRow } from '../report/types.js';
import { encodeItems, loadCfData, type CfData } from './data.js';

interface FitLike {
  epochs?: number;
  bestEpoch?: number;
  bestMetrics?: Record<string, number>;
  log?: { epoch: number; loss: number; valid?: Record<string, number>; seconds?: number }[];
  warning?: string;
}

export function metricKeys(ks: readonly number[], families = ['recall', 'ndcg', 'hr']): string[] {
  return ks.flatMap((k) => families.map((f) => `${f}@${k}`));
}

/** Trains every model of the config on one split and evaluates on TEST with epochs selected on VALID. */
export const runCf: ExperimentRunner = async (ctx) => {
  const data = await loadCfData(ctx);
  const rows: ModelRow[] = [];
  for (const [i, model] of ctx.config.models.entries()) rows.push(await trainAndTest(ctx, data, model, undefined, `models.${i}`));
  return [cfExperiment(ctx, `${ctx.config.name}: ${data.name} (${data.stats.users} users, ${data.stats.items} items)`, data, rows)];
};

export function cfExperiment(ctx: ExperimentContext, title: string, data: CfData, rows: ModelRow[]): ExperimentResult {
  const ks = ctx.config.eval.ks ?? [10, 20, 50];
  const metric = ctx.config.eval.metric ?? 'recall@20';
  return {
    title,
    kind: ctx.config.experiment,
    metricKeys: metricKeys(ks),
    mainMetric: metric,
    baseline: ctx.config.eval.baseline ?? rows[0]?.label,
    rows,
    protocol: { dataset: data.stats, selection: `epoch selected on VALID ${metric}; test evaluated once`, masking: 'train + valid items masked at test unless they are targets', ties: 'lower item id first' },
    notes: rows.flatMap((r) => (r.extra?.warning ? [`${r.label}: ${r.extra.warning}`] : [])),
  };
}

export interface ItemVectors {
  encoder?: TextEncoder;
  embeddings?: { dim: number; data: Float32Array };
}

/** An encoder over the item texts (default: the config's), else (or with `null`) the dataset's own vectors. */
export async function itemVectors(ctx: ExperimentContext, data: CfData, encoderRef?: PluginRef | null): Promise<ItemVectors> {
  const ref = encoderRef === undefined ? ctx.config.encoder : encoderRef;
  if (ref) {
    if (!data.titles) throw new LmrecError('E_CONFIG', `dataset ${data.name} has no item texts to encode`, { field: 'encoder' });
    return encodeItems(ctx, ref, data.titles);
  }
  return { embeddings: data.itemEmbeddings };
}

/**
 * A step's container: the item vectors and their encoder are bound lazily, so
 * they are computed only for a model whose plugin declares it reads them.
 */
function modelScope(ctx: ExperimentContext, data: CfData, vectors?: () => Promise<ItemVectors>): Container {
  const scope = new Container({ parent: ctx.container });
  let once: Promise<ItemVectors> | undefined;
  const get = () => (once ??= (vectors ?? (() => itemVectors(ctx, data)))());
  scope.bind(DEPS.ItemEmbeddings).toDynamicValue(async () => {
    const { embeddings } = await get();
    if (!embeddings) throw new LmrecError('E_CONFIG', `this model needs item vectors: set "encoder" or use a dataset that ships them (${data.name} does not)`, { field: 'encoder' });
    return embeddings;
  });
  scope.bind(DEPS.TextEncoder).toDynamicValue(async () => (await get()).encoder);
  return scope;
}

export async function trainAndTest(ctx: ExperimentContext, data: CfData, model: ModelConfig, vectors?: () => Promise<ItemVectors>, field = 'models'): Promise<ModelRow> {
  const label = model.label ?? model.name;
  return ctx.step(`cf-${label}`, async (checkpointDir) => {
    const recommender = await ctx.create<Recommender>('Recommender', model, field, modelScope(ctx, data, vectors));
    const t0 = performance.now();
    const fit = ((await recommender.fit(data.split, fitOptions(ctx, checkpointDir, label))) ?? {}) as FitLike;
    const seconds = (performance.now() - t0) / 1000;
    const test = await evaluateFullRanking(recommender, data.split, { on: 'test', ks: ctx.config.eval.ks ?? [10, 20, 50], progress: ctx.progress });
    await recommender.save(modelDir(ctx.outDir, label));
    return toRow(label, test, fit, seconds, ctx.config.eval.metric ?? 'recall@20');
  });
}

/** fit() options from the config: seed, progress, selection metric, the trainer keys it sets, checkpoints and a JSON-lines log. */
export function fitOptions(ctx: ExperimentContext, checkpointDir: string, logName: string): Record<string, unknown> {
  const defined = Object.entries(ctx.config.trainer).filter(([, value]) => value !== undefined);
  return {
    seed: ctx.config.seed,
    progress: ctx.progress,
    checkpointDir,
    logPath: join(ctx.outDir, 'logs', `${safeName(logName)}.jsonl`),
    metric: ctx.config.eval.metric ?? 'recall@20',
    ...Object.fromEntries(defined),
  };
}

export function toRow(label: string, test: EvalResult, fit: FitLike, seconds: number, metric: string): ModelRow {
  const curve: CurvePoint[] | undefined = fit.log?.map((r) => ({ epoch: r.epoch + 1, loss: r.loss, ...(r.valid ?? {}) }));
  const extra: Record<string, number | string> = {};
  const valid = fit.bestMetrics?.[metric];
  if (valid !== undefined) extra[`valid ${metric}`] = valid;
  if (fit.bestEpoch !== undefined && fit.log?.length) extra['best epoch'] = fit.bestEpoch + 1;
  if (fit.warning) extra.warning = fit.warning;
  const epochSeconds = fit.log?.length ? fit.log.reduce((s, r) => s + (r.seconds ?? 0), 0) / fit.log.length : undefined;
  if (epochSeconds !== undefined) extra['s/epoch'] = epochSeconds;
  return {
    label,
    metrics: test.metrics,
    perUnit: test.perUnit,
    curve,
    popularity: test.aggregates,
    epochs: fit.epochs,
    seconds,
    extra,
  };
}
