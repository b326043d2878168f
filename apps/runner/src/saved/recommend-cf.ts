import type { CfSplit, Recommender } from '@lmrec/core';
import { UsageError } from '../cli/errors.js';
import { takesIntentions } from '../experiments/intention.js';
import { topOf, type Ranked } from './rank.js';

export interface CfRequest {
  user?: number;
  history?: number[];
  intention?: string;
  alpha?: number;
  k: number;
  /** Keep the items the user already has (default: leave them out). */
  includeSeen?: boolean;
}

export interface CfAnswer extends Ranked {
  /** Items left out as already known, per part of the split ("train", "valid", "test", "history"). */
  excluded: Record<string, number>;
}

/** A user id or history items checked against the run's split: unknown ones are usage errors naming the flag. */
export function checkRequest(request: CfRequest, split: CfSplit): void {
  if (request.user !== undefined && request.user >= split.nUsers) throw new UsageError(`--user ${request.user} is not a user of this run (users are 0..${split.nUsers - 1})`, 'user');
  const bad = request.history?.find((j) => j >= split.nItems);
  if (bad !== undefined) throw new UsageError(`--history item ${bad} is not an item of this run (items are 0..${split.nItems - 1})`, 'history');
}

/** What the user already has: every part of the split for a known user (or the given history), unless `includeSeen`. */
export function knownItems(request: CfRequest, split: CfSplit): { items: Set<number>; excluded: Record<string, number> } {
  const items = new Set<number>();
  const excluded: Record<string, number> = {};
  if (request.includeSeen) return { items, excluded };
  const add = (part: string, list: ArrayLike<number>) => {
    const before = items.size;
    for (const j of Array.from(list)) items.add(j);
    if (items.size > before) excluded[part] = items.size - before;
  };
  if (request.history) add('history', request.history);
  else if (request.user !== undefined) for (const part of ['train', 'valid', 'test'] as const) add(part, split[part].row(request.user));
  return { items, excluded };
}

/**
 * Top-k of any Recommender for a known user, an item history and/or an
 * intention, the same way for every model: score every item, leave out what
 * the user already has, rank (ties to the lower id).
 */
export async function recommendCf(model: Recommender, label: string, request: CfRequest, split: CfSplit): Promise<CfAnswer> {
  checkRequest(request, split);
  const { items: seen, excluded } = knownItems(request, split);
  const n = model.nItems;
  if (request.intention !== undefined) {
    if (!takesIntentions(model)) throw new UsageError(`${label} does not take intentions (its recommend() is missing)`, 'intention');
    const full = await model.recommend({ user: request.user, history: request.history, intention: request.intention, alpha: request.alpha, k: n, excludeSeen: false });
    const row = new Float32Array(n).fill(-Infinity);
    full.items.forEach((j, r) => (row[j] = full.scores[r]));
    return { ...topOf(row, request.k, seen), excluded };
  }
  let row: Float32Array;
  if (request.history) {
    if (!model.scoreHistories) throw new UsageError(`${label} cannot score a new history; give --user`, 'history');
    row = (await model.scoreHistories([Int32Array.from(request.history)])).subarray(0, n);
  } else {
    row = (await model.scoreBlock(Int32Array.of(request.user!))).subarray(0, n);
  }
  return { ...topOf(row, request.k, seen), excluded };
}
