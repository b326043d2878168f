import type { DialogueTurn } from '@lmrec/core';
import type { ScoreKind } from '@lmrec/vectors';
import type { ItemInfo, ModelInfo, RecommendRequest, RecommendResponse } from './schemas.js';

/**
 * What the HTTP layer needs from a model: the contract a saved run is
 * served through. `recommend` takes a request already validated by the
 * schema (defaults applied); it throws `LmrecError`s naming the field for
 * requests the schema cannot judge (unknown user, an item id past the
 * catalogue, an input kind the model does not take).
 */
export interface RecommendService {
  models(): Promise<ModelInfo[]>;
  /** One catalogue item, or undefined when the id is not in it. */
  item(id: number): Promise<ItemInfo | undefined>;
  recommend(request: RecommendRequest): Promise<RecommendResponse>;
  /** Frees what the service holds (database connections). */
  close?(): Promise<void>;
}

export type { ScoreKind };

/**
 * Turns the inputs a model accepts besides a known user into query vectors
 * of its space (each [n * dim], row-major). All optional: a model without
 * one refuses that input kind with a 400 naming the field.
 */
export interface QueryEncoders {
  /** A new user known by item ids (AlphaRec: userVectorForHistory). */
  history?(histories: readonly Int32Array[]): Float32Array | Promise<Float32Array>;
  /** AlphaRec: intention texts through the encoder and the mapping (e_intent). */
  intention?(texts: readonly string[]): Float32Array | Promise<Float32Array>;
  /** RTA: the context vector q of each conversation. */
  conversation?(conversations: readonly (readonly DialogueTurn[])[]): Float32Array | Promise<Float32Array>;
}

/** One request reduced to what ranking needs. */
export interface QueryPlan {
  vector: Float32Array;
  k: number;
  /** Sorted, unique item ids to leave out (known items unless includeSeen, plus `exclude`). */
  exclude: Int32Array;
}

export interface RankedItem {
  id: number;
  title: string;
  score: number;
}

/** Ranks many planned queries in one call (the batched form). */
export interface Ranker {
  readonly backend: 'exact' | 'index';
  rank(plans: readonly QueryPlan[]): Promise<RankedItem[][]>;
  title(id: number): Promise<string | undefined>;
}

/** Where a planner finds what a request refers to. */
export interface QuerySource extends QueryEncoders {
  readonly name: string;
  readonly score: ScoreKind;
  readonly dim: number;
  readonly nItems: number;
  readonly nUsers: number;
  /** A known user's vector and known items, or undefined for an unknown id. */
  user(id: number): Promise<{ vector: Float32Array; seen: ArrayLike<number> } | undefined>;
}
