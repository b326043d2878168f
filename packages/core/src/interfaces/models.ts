import type { tf } from '../tensor/tf.js';
import type { CfSplit, DialogueTurn } from './data.js';
import type { ProgressReporter } from '../progress.js';
import type { Rng } from '../rng.js';

/** Trainable tfjs parameters with a name each (safetensors keys). */
export interface Module {
  /** Trainable variables (what an optimiser updates). */
  trainableVariables(): tf.Variable[];
  /** Every tensor needed to restore the module, keyed by a stable name. */
  state(): Record<string, tf.Tensor>;
  loadState(state: Record<string, tf.Tensor>): void;
  dispose(): void;
  /**
   * Optional: random streams the module draws from by itself while training
   * (e.g. a dropout stream seeded in its constructor). A trainer saves and
   * restores their state with its checkpoints, so a resumed run draws what
   * an uninterrupted one would have drawn.
   */
  randomStreams?(): Record<string, Rng>;
}

/**
 * Scores a block of users against every item: what the full-ranking
 * evaluator consumes. Rows are users, row-major [users.length, nItems].
 */
export interface Scorer {
  readonly nItems: number;
  scoreBlock(users: Int32Array): Float32Array | Promise<Float32Array>;
  /**
   * Optional factorised form (score = U[u] . itemsT[:, i]) that lets the
   * evaluator use the fused score + mask + top-K kernel.
   */
  factors?(): { dim: number; users: Float32Array; itemsT: Float32Array } | undefined;
}

export interface FitOptions {
  seed?: number;
  progress?: ProgressReporter;
  /**
   * Each user's train items in time order, when the data has timestamps
   * (CfSplit has none): sequential models (SASRec) train on it, the others
   * need not read it.
   */
  sequences?: readonly ArrayLike<number>[];
  [key: string]: unknown;
}

/** A collaborative recommender (Popularity, MF, LightGCN, AlphaRec, ...). */
export interface Recommender extends Scorer {
  readonly name: string;
  fit(data: CfSplit, options?: FitOptions): Promise<unknown>;
  save(dir: string): Promise<void>;
  load(dir: string): Promise<void>;
  /** Models that score from an item history (FISM, SASRec) serve conversations through this. */
  scoreHistories?(histories: readonly Int32Array[]): Float32Array | Promise<Float32Array>;
}

/**
 * A collaborative model used inside RTA's gate: logits over all items from
 * the conversation's item history, differentiable, trained jointly.
 */
export interface GatingRecommender extends Module {
  readonly name: string;
  readonly nItems: number;
  /** [histories.length, nItems] logits; inside tf.tidy / optimizer.minimize. */
  logits(histories: readonly Int32Array[], training: boolean): tf.Tensor2D;
  /**
   * Optional: [histories.length, items.length] logits of the `items` columns
   * only (equal to those columns of `logits`). The adapt step's sampled
   * softmax reads ~1,256 columns a batch; a recommender that can skip the
   * rest saves most of its scoring there.
   */
  columnLogits?(histories: readonly Int32Array[], items: Int32Array, training: boolean): tf.Tensor2D;
}

/** Condenses a title's token embeddings into one item vector (RTA reindex). */
export interface Aggregator extends Module {
  readonly name: string;
  readonly dim: number;
  /** tokens [n, T, d], mask [n, T] (1 = real token) -> [n, dim]. */
  apply(tokens: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor2D;
}

/** A frozen language model seen through what RTA needs of it. */
export interface Backbone {
  readonly id: string;
  readonly dim: number;
  /** Context query vector q per conversation context. */
  contextVectors(contexts: readonly (readonly DialogueTurn[])[], options?: { progress?: ProgressReporter; signal?: AbortSignal }): Promise<Float32Array[]>;
  /** Token ids of each title. */
  tokenize(titles: readonly string[]): Promise<number[][]>;
  /** Rows of the token embedding table, [ids.length * dim]. */
  tokenEmbeddings(ids: readonly number[]): Promise<Float32Array>;
  /**
   * Optional: resolves once the backbone is usable, `dim` and `id` included
   * (a backbone that loads lazily, e.g. from artifacts files). Callers await
   * it before reading `dim`; without it the backbone is ready at construction.
   */
  ready?(): Promise<void>;
}

/** Loads a dataset from files (or a cache); its options were validated when the plugin created it. */
export interface DatasetLoader<T = unknown> {
  readonly name: string;
  load(): Promise<T>;
}

/**
 * A per-user ranking metric. `hits[p]` is 1 when the item at 0-based rank p of
 * the top list is a target; `nTargets` counts the user's targets.
 */
export interface Metric {
  readonly name: string;
  compute(hits: Uint8Array, nTargets: number, k: number, topK: Int32Array): number;
}
