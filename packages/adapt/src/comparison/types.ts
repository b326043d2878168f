import type { Aggregator, Backbone, CrsModel, GatingRecommender, ProgressReporter } from '@lmrec/core';
import type { EvalResult, ResultTable } from '@lmrec/eval';
import type { TrainReindexOptions } from '@lmrec/reindex';
import { ADAPTER_KINDS, type AdapterKind } from '../adapters.js';
import type { PopularityDiagnostics } from '../diagnostics.js';
import type { AdaptTrainOptions, AdaptTrainResult } from '../train.js';

export type GatingFactory = (nItems: number, seed: number) => GatingRecommender;

/**
 * Runs (or reuses) one step of the comparison: each row, and the reindex
 * training whose aggregator the later rows start from. `key` is unique
 * within one comparison; `dependsOn` is a JSON description of everything
 * the step's result depends on (hash it to decide on reuse); `run` computes
 * the result, checkpointing its training into `checkpointDir` (when given)
 * so that a killed run resumes mid-step. Results are JSON-serialisable.
 */
export type RtaStep = <T>(key: string, dependsOn: unknown, run: (checkpointDir: string | undefined) => Promise<T>) => Promise<T>;

export interface RtaComparisonOptions {
  /** The frozen LM. Default: reindex's offline LexicalBackbone (hashed words, NOT an LLM), IDF fitted on the train turns. */
  backbone?: Backbone;
  /** Reindex aggregator: a name of reindex's aggregators (default "weighted", Linear initialised to the identity) or a factory. */
  aggregator?: string | ((dim: number, seed: number) => Aggregator);
  /** Collaborative models for "alone" rows and RecSys gating. Default { FISM, SASRec } from @lmrec/recsys. */
  recommenders?: Record<string, GatingFactory>;
  /** Zero-training conversational recommenders (dense retrievers, zero-shot LLMs) as extra rows, keyed by row label. */
  crsModels?: Record<string, CrsModel>;
  /** Rows to run (names as in the table); default all. The Reindex baseline always runs. */
  variants?: readonly string[];
  /** Reindex training (reindex's trainReindex options). Default maxEpochs 10. */
  reindex?: TrainReindexOptions;
  /** +Bias training. Default lr 1e-3, at most 20 epochs, patience 3. */
  bias?: AdaptTrainOptions;
  /** +RecSys gating training. Default lr 1e-3, at most 20 epochs, patience 3. */
  gating?: AdaptTrainOptions;
  /** FISM / SASRec alone. Default as gating. */
  recsys?: AdaptTrainOptions;
  /** Cut-offs, default [1, 5, 10, 50]. */
  ks?: readonly number[];
  /** Longest item history (RTA: 128). */
  maxHistory?: number;
  /** History of an example: every mention in order ('all', default) or each item once in first-mention order ('distinct', the official RTA code). */
  history?: 'all' | 'distinct';
  /** Popularity row scores: train mentions of each item ('mentions', default) or train example targets ('targets', the official RTA code). */
  popularity?: 'mentions' | 'targets';
  /** Standard error's ddof: 1 (default, sample std) or 0 (numpy's std, the official RTA code's). */
  ddof?: 0 | 1;
  /** Cap the number of examples per part (first n, in dataset order) to bound run time. */
  maxExamples?: { train?: number; valid?: number; test?: number };
  /** Also evaluate with items already mentioned in the context removed from the candidates (default true). */
  alsoExcludeMentioned?: boolean;
  /** Keep per-example values in the returned results (default false: large). */
  keepPerUnit?: boolean;
  /** K of the popularity diagnostics (default 10). */
  diagnosticsK?: number;
  seed?: number;
  progress?: ProgressReporter;
  /** Called with the aggregator right after reindex training (best valid weights), e.g. to save it for serving. */
  onReindexed?: (aggregator: Aggregator) => void | Promise<void>;
  /** Per-row caching and resume (see RtaStep). Default: run every step, without checkpoints. */
  step?: RtaStep;
  /** Stops after the current epoch (checkpointed) and rejects with E_ABORTED; a rerun with the same `step` resumes. */
  signal?: AbortSignal;
}

/** The training part of a row (JSON: epoch curves and selection, no tensors). */
export type RtaTrainingSummary = Omit<AdaptTrainResult, 'log'> & { log: { epoch: number; loss: number; valid?: number; gate?: number }[] };

export interface RtaVariantResult {
  name: string;
  kind: 'popularity' | 'recsys' | 'zero-shot' | 'crs' | 'reindex' | 'bias' | 'gating';
  aggregator?: 'frozen' | 'trainable';
  adapter?: AdapterKind;
  recommender?: string;
  /** Test metrics, reference protocol (mentioned items stay candidates). */
  test: EvalResult;
  /** Test metrics with mentioned items removed from the candidates. */
  testExcludeMentioned?: EvalResult;
  diagnostics: PopularityDiagnostics;
  /** Learned gate s = sigmoid(c) (gating rows). */
  gate?: number;
  training?: RtaTrainingSummary;
  seconds: number;
}

export interface RtaReindexSummary {
  epochs: number;
  bestEpoch: number;
  bestValid?: number;
  initialValid?: number;
  seconds: number;
}

export interface RtaComparisonResult {
  dataset: { name: string; nItems: number; conversations: Record<'train' | 'valid' | 'test', number>; examples: Record<'train' | 'valid' | 'test', number> };
  backbone: string;
  aggregator: string;
  reindexTraining: RtaReindexSummary;
  variants: RtaVariantResult[];
  /** H@K / N@K with standard errors and paired t-tests against Reindex. */
  table: ResultTable;
  /** The same with mentioned items excluded (when alsoExcludeMentioned). */
  tableExcludeMentioned?: ResultTable;
  /** Popularity-bias diagnostics per row, markdown. */
  diagnosticsMarkdown: string;
  seconds: number;
}

export const REINDEX_ROW = 'Reindex';

/** Row names of the full comparison for the given recommender names. */
export function rtaVariantNames(recommenders: readonly string[] = ['FISM', 'SASRec']): string[] {
  const names = ['Popularity', ...recommenders, 'Zero-shot (sum)', REINDEX_ROW];
  for (const kind of ADAPTER_KINDS) for (const agg of ['frozen', 'trainable']) names.push(`+Bias ${kind} (${agg} agg.)`);
  for (const rec of recommenders) for (const agg of ['frozen', 'trainable']) names.push(`+RecSys ${rec} (${agg} agg.)`);
  return names;
}
