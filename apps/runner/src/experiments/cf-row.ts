import { join } from 'node:path';
import { writeJsonAtomic, type Recommender } from '@lmrec/core';
import { evaluateFullRanking, type EvalResult } from '@lmrec/eval';
import type { ModelConfig } from '../config/schema.js';
import { modelDir, safeName, type DepSource, type ExperimentContext } from '../context.js';
import type { BestEpoch, CurvePoint, ModelRow } from '../report/types.js';
import type { CfData } from './data.js';

/** What a model's fit() returns, as far as the report reads it (recsys' TrainResult). */
export interface FitLike {
  epochs?: number;
  bestEpoch?: number;
  bestMetrics?: Record<string, number>;
  stoppedEarly?: boolean;
  log?: { epoch: number; loss: number; valid?: Record<string, number>; seconds?: number }[];
  warning?: string;
}

export const evalKs = (ctx: ExperimentContext) => ctx.config.eval.ks ?? [10, 20, 50];
export const selectionMetric = (ctx: ExperimentContext) => ctx.config.eval.metric ?? 'recall@20';

/**
 * The config keys fit() reads: they are part of every trained row's step key.
 * fit() options override a model's own options, so a setting the model's
 * options name (`epochs: 5` on one row) is left out here: the row's own value
 * beats the trainer section's, never the other way round.
 */
export function fitSettings(ctx: ExperimentContext, model?: ModelConfig): Record<string, unknown> {
  const own = new Set(Object.keys(model?.options ?? {}));
  const defined = Object.entries(ctx.config.trainer).filter(([key, value]) => value !== undefined && !own.has(key));
  const metric = own.has('metric') ? {} : { metric: selectionMetric(ctx) };
  return { seed: ctx.config.seed, ...metric, ...Object.fromEntries(defined) };
}

/** fit() options: the settings plus progress, checkpoints and a JSON-lines log. */
export function fitOptions(ctx: ExperimentContext, checkpointDir: string, logName: string, model?: ModelConfig): Record<string, unknown> {
  return { ...fitSettings(ctx, model), progress: ctx.progress, checkpointDir, logPath: join(ctx.outDir, 'logs', `${safeName(logName)}.jsonl`) };
}

/** One table row as a step: train on the split, select on VALID, test once, save the model. */
export async function trainAndTest(ctx: ExperimentContext, data: CfData, model: ModelConfig, field: string, deps: readonly DepSource[], label = model.label ?? model.name): Promise<ModelRow> {
  const factory = ctx.registry.get('Recommender', model.name);
  // sequences are part of the key: a model trained on item-id order is not reused once the data has times
  const order = data.sequences ? { sequences: 'train items in time order' } : {};
  const material = { ...(await ctx.material('Recommender', model, field)), fit: fitSettings(ctx, model), eval: { on: 'test', ks: evalKs(ctx) }, deps: await ctx.depMaterials(factory, deps), data: data.material, ...order };
  const outcome = await ctx.steps.run({ id: `model-${safeName(label)}`, label: `${field} (${label})` }, material, async (checkpointDir) => {
    const recommender = await ctx.create<Recommender>('Recommender', model, field, deps);
    const t0 = performance.now();
    const options = { ...fitOptions(ctx, checkpointDir, label, model), ...(data.sequences ? { sequences: data.sequences() } : {}) };
    const fit = ((await recommender.fit(data.split, options)) ?? {}) as FitLike;
    const seconds = (performance.now() - t0) / 1000;
    if (fit.stoppedEarly && fit.epochs !== undefined && fit.bestEpoch !== undefined) ctx.log(`${label}: stopped at epoch ${fit.epochs}, kept epoch ${fit.bestEpoch + 1}`);
    const test = await evaluateFullRanking(recommender, data.split, { on: 'test', ks: evalKs(ctx), progress: ctx.progress });
    const dir = modelDir(ctx.outDir, label);
    await recommender.save(dir);
    await writeRowRecord(dir, label, model, field, deps, factory.requires, factory.optional);
    return toRow(label, test, fit, seconds, selectionMetric(ctx));
  });
  return { ...outcome.value, step: { hash: outcome.key, config: material } };
}

/**
 * Beside a saved model: which plugin and options made it, and how to give it
 * back the dependencies it was created with (e.g. its text encoder), so
 * `lmrec recommend` and `lmrec eval` rebuild it from data alone.
 */
async function writeRowRecord(dir: string, label: string, model: ModelConfig, field: string, deps: readonly DepSource[], ...declared: (readonly symbol[] | undefined)[]): Promise<void> {
  const tokens = declared.flatMap((d) => d ?? []);
  const specs = Object.fromEntries(deps.filter((d) => d.spec !== undefined && tokens.includes(d.token)).map((d) => [d.token.description ?? String(d.token), d.spec]));
  await writeJsonAtomic(join(dir, 'lmrec-row.json'), { format: 'lmrec-row', version: 1, label, field, plugin: { point: 'Recommender', name: model.name }, options: model.options ?? {}, deps: specs });
}

export function bestEpoch(bestIndex: number | undefined, epochs: number | undefined, options: { initialIsZero?: boolean } = {}): BestEpoch | undefined {
  if (bestIndex === undefined || !epochs) return undefined;
  const epoch = options.initialIsZero ? bestIndex : bestIndex + 1;
  const note = epoch === 0 ? 'initial' : epoch === epochs && epochs > 1 ? 'last' : undefined;
  return { epoch, of: epochs, ...(note ? { note } : {}) };
}

export function toRow(label: string, test: EvalResult, fit: FitLike, seconds: number, metric: string): ModelRow {
  const curve: CurvePoint[] | undefined = fit.log?.map((r, i) => ({ epoch: i + 1, loss: r.loss, ...(r.valid ?? {}) }));
  const extra: Record<string, number | string> = {};
  const valid = fit.bestMetrics?.[metric];
  if (valid !== undefined) extra[`valid ${metric}`] = valid;
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
    best: fit.log?.length ? bestEpoch(fit.bestEpoch, fit.log.length) : undefined,
  };
}

export type { EvalResult };
