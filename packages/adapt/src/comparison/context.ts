import { LmrecError, type Backbone, type ProgressReporter, type tf } from '@lmrec/core';
import type { ConversationDataset } from '@lmrec/datasets';
import type { AdaptTrainOptions } from '../train.js';
import { fingerprint, type Part } from './data.js';
import type { GatingFactory, RtaComparisonOptions, RtaStep } from './types.js';

/** Everything the rows of one comparison share. */
export interface ComparisonContext {
  dataset: ConversationDataset;
  options: RtaComparisonOptions;
  seed: number;
  progress: ProgressReporter;
  log: (line: string) => void;
  ks: readonly number[];
  nItems: number;
  backbone: Backbone;
  d: number;
  parts: Record<'train' | 'valid' | 'test', Part>;
  popularity: Float64Array;
  recommenders: Record<string, GatingFactory>;
  step: RtaStep;
  /** What every step depends on (data, backbone, protocol), JSON. */
  base: Record<string, unknown>;
}

/** Runs every step, without checkpoints. */
export const runEveryStep: RtaStep = (_key, _dependsOn, run) => run(undefined);

/** A JSON copy (functions and undefined dropped, NaN -> null): what a cache would give back. */
export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A training config as a step depends on it: defaults filled in, callbacks dropped. */
export function trainingDeps(options: AdaptTrainOptions | Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...options };
  for (const key of ['progress', 'onEpoch', 'signal', 'checkpointDir', 'logPath', 'resume']) delete rest[key];
  return jsonSafe(rest);
}

/** A module (aggregator, gating model) as a step depends on it: its name and a fingerprint of its current weights. */
export function moduleDeps(name: string, state: Record<string, tf.Tensor>): { name: string; weights: string } {
  const keys = Object.keys(state).sort();
  return { name, weights: fingerprint(...keys.flatMap((k) => [k, state[k].dataSync() as Float32Array])) };
}

/** An abort between or inside steps rejects, so the interrupted step is not cached. */
export function checkAborted(ctx: ComparisonContext, where: string): void {
  if (ctx.options.signal?.aborted) {
    throw new LmrecError('E_ABORTED', `the RTA comparison was interrupted (${where})`, { hint: 'run it again with the same step cache to resume' });
  }
}

/** A short content key of a step's dependencies (stored in its training checkpoints). */
export function stepKey(deps: unknown): string {
  return fingerprint(JSON.stringify(deps));
}
