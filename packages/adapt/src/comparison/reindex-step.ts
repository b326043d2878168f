import { join } from 'node:path';
import { LmrecError, readSafetensors, tf, writeSafetensors, type Aggregator } from '@lmrec/core';
import { captureStreams, restoreStreams, toHost, withHostTensors, type RngState } from '@lmrec/recsys';
import { dataLabelPairs, trainReindex, type ReindexModel } from '@lmrec/reindex';
import { checkAborted, jsonSafe, moduleDeps, stepKey, trainingDeps, type ComparisonContext } from './context.js';
import type { RtaReindexSummary } from './types.js';

/** What the reindex step leaves behind: its summary, and where the trained aggregator is. */
interface ReindexStepResult {
  summary: RtaReindexSummary;
  /** The best aggregator weights (absent when the step ran without a checkpoint folder). */
  weightsFile?: string;
  /** The aggregator's own random streams after training (dropout), so later rows start from the same state. */
  streams?: Record<string, RngState>;
}

/** The trained aggregator as every later row starts from it. */
export interface Reindexed {
  summary: RtaReindexSummary;
  /** What the rows built on the reindexed catalogue depend on. */
  deps: Record<string, unknown>;
  /** Resets the aggregator to its reindexed weights and streams (before a row trains it further). */
  reset(): void;
  dispose(): void;
}

/**
 * RTA's reindex step as one cached, resumable step: trains the aggregator on
 * the data labels with early stopping on VALID, saves the best weights in
 * the step's folder, and on reuse loads them from there.
 */
export async function reindexStep(ctx: ComparisonContext, aggregator: Aggregator, model: ReindexModel): Promise<Reindexed> {
  const { options, parts } = ctx;
  const training = { maxEpochs: 10, seed: ctx.seed, progress: ctx.progress, ...options.reindex };
  const deps = { ...ctx.base, aggregator: { ...moduleDeps(aggregator.name, aggregator.state()), dim: aggregator.dim }, reindex: trainingDeps(training) };
  let ranHere = false;
  const result = await ctx.step<ReindexStepResult>('reindex-training', deps, async (dir) => {
    ranHere = true;
    const t0 = performance.now();
    const valid = parts.valid.examples.length ? { queries: parts.valid.set.queries!, examples: parts.valid.examples } : undefined;
    const run = dir ? { checkpointDir: join(dir, 'checkpoint'), checkpointKey: stepKey(deps), logPath: join(dir, 'log.jsonl') } : {};
    const r = await trainReindex(model, dataLabelPairs(parts.train.set.queries!, parts.train.examples), valid, { ...training, ...run, signal: options.signal });
    checkAborted(ctx, 'reindex training');
    const weightsFile = dir ? join(dir, 'aggregator.safetensors') : undefined;
    if (weightsFile) await writeSafetensors(weightsFile, toHost(aggregator.state()), { aggregator: aggregator.name });
    const summary = { epochs: r.epochs.length, bestEpoch: r.bestEpoch, bestValid: r.bestValid, initialValid: r.initialValid, seconds: (performance.now() - t0) / 1000 };
    return jsonSafe({ summary, weightsFile, streams: captureStreams(aggregator.randomStreams?.()) });
  });
  if (!ranHere) await loadReindexed(aggregator, result);
  const reindexed = Object.fromEntries(Object.entries(aggregator.state()).map(([k, t]) => [k, tf.clone(t)]));
  return {
    summary: result.summary,
    deps: { ...deps, reindexed: moduleDeps(aggregator.name, reindexed) },
    reset() {
      aggregator.loadState(reindexed);
      restoreStreams(aggregator.randomStreams?.(), result.streams);
    },
    dispose: () => tf.dispose(Object.values(reindexed)),
  };
}

async function loadReindexed(aggregator: Aggregator, result: ReindexStepResult): Promise<void> {
  if (!result.weightsFile) {
    throw new LmrecError('E_STATE', 'the reused reindex step has no saved aggregator weights', { hint: 'the step hook must pass a checkpoint folder to run(); recompute the comparison' });
  }
  const { tensors } = await readSafetensors(result.weightsFile);
  withHostTensors(tensors, (t) => aggregator.loadState(t));
  restoreStreams(aggregator.randomStreams?.(), result.streams);
}
