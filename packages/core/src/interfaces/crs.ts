import type { ProgressReporter } from '../progress.js';
import type { DialogueTurn } from './data.js';

/** What a CRS model knows of the catalogue: item i's title (and description, where the dataset has one). */
export interface CrsCatalogue {
  titles: readonly string[];
  descriptions?: readonly (string | undefined)[];
}

export interface CrsScoreOptions {
  progress?: ProgressReporter;
  signal?: AbortSignal;
}

/**
 * A conversational recommender that ranks the whole catalogue from a
 * conversation context and trains nothing (a dense retriever, a zero-shot
 * LLM): RTA's comparison evaluates it beside Reindex with the same CRS
 * protocol. `prepare` sees the catalogue once; `scoreContexts` gives one
 * row of nItems scores per context (higher = better; equal scores tie).
 */
export interface CrsModel {
  readonly name: string;
  /** Everything the scores depend on (model, encoder, prompt, options), for caching; never a secret. */
  readonly id: string;
  prepare(catalogue: CrsCatalogue, options?: CrsScoreOptions): Promise<void>;
  /** Row-major [contexts.length, nItems], finite. */
  scoreContexts(contexts: readonly (readonly DialogueTurn[])[], options?: CrsScoreOptions): Promise<Float32Array>;
}
