import { join } from 'node:path';
import { evaluateCrs } from '@lmrec/eval';
import { PopularityDiagnosticsAccumulator } from '../diagnostics.js';
import type { AdaptModel } from '../models.js';
import { trainAdapt, type AdaptTrainOptions, type AdaptTrainResult } from '../train.js';
import { checkAborted, jsonSafe, stepKey, trainingDeps, type ComparisonContext } from './context.js';
import type { RtaTrainingSummary, RtaVariantResult } from './types.js';

type CrsScorerLike = { nItems: number; scoreExamples(i: Int32Array): Promise<Float32Array> | Float32Array };

/** Test metrics (both candidate protocols) and popularity diagnostics of one row, as JSON. */
export async function evaluateRow(ctx: ComparisonContext, row: Omit<RtaVariantResult, 'test' | 'diagnostics' | 'seconds'>, scorer: CrsScorerLike, t0: number): Promise<RtaVariantResult> {
  const { options, ks, parts } = ctx;
  const diag = new PopularityDiagnosticsAccumulator(ctx.popularity, options.diagnosticsK ?? 10);
  const withDiagnostics = {
    nItems: scorer.nItems,
    scoreExamples: async (indices: Int32Array) => {
      const scores = await scorer.scoreExamples(indices);
      diag.addScores(scores, indices.length);
      return scores;
    },
  };
  const test = await evaluateCrs(withDiagnostics, parts.test.examples, { ks, blockSize: 256, progress: ctx.progress, ddof: options.ddof });
  const testExcludeMentioned = options.alsoExcludeMentioned === false ? undefined : await evaluateCrs(scorer, parts.test.examples, { ks, blockSize: 256, excludeMentioned: true, ddof: options.ddof });
  const result: RtaVariantResult = { ...row, test, testExcludeMentioned, diagnostics: diag.result(), seconds: (performance.now() - t0) / 1000 };
  ctx.log(
    `${row.name}: hit@10 ${test.metrics['hit@10']?.mean.toFixed(4)} ndcg@10 ${test.metrics['ndcg@10']?.mean.toFixed(4)}${row.gate === undefined ? '' : ` gate ${row.gate.toFixed(3)}`} (${result.seconds.toFixed(1)} s)`,
  );
  return jsonSafe(result);
}

/** The adapt options of a row kind: the comparison's defaults under the caller's. */
export function rowTraining(ctx: ComparisonContext, own: AdaptTrainOptions | undefined): AdaptTrainOptions {
  return { epochs: 20, patience: 3, learningRate: 1e-3, seed: ctx.seed, progress: ctx.progress, ...own };
}

/** A row's training config as its step depends on it. */
export function rowTrainingDeps(ctx: ComparisonContext, own: AdaptTrainOptions | undefined): Record<string, unknown> {
  return trainingDeps(rowTraining(ctx, own));
}

/** Trains a row's model on train / valid, checkpointing into `dir` when given (keyed by what the row depends on). */
export async function trainRow(ctx: ComparisonContext, model: AdaptModel, own: AdaptTrainOptions | undefined, dir: string | undefined, deps: unknown): Promise<AdaptTrainResult> {
  const run = dir ? { checkpointDir: join(dir, 'checkpoint'), checkpointKey: stepKey(deps), logPath: join(dir, 'log.jsonl') } : {};
  const result = await trainAdapt(model, ctx.parts.train.set, ctx.parts.valid.set, { ...rowTraining(ctx, own), ...run, signal: ctx.options.signal });
  checkAborted(ctx, `training ${model.name}`);
  return result;
}

export function summarise(r: AdaptTrainResult): RtaTrainingSummary {
  return { ...r, log: r.log.map((l) => ({ epoch: l.epoch, loss: l.loss, valid: l.valid, gate: l.extra?.gate })) };
}
