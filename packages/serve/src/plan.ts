import { LmrecError, type DialogueTurn } from '@lmrec/core';
import { unit } from './unit.js';
import type { InputKind, RecommendRequest } from './schemas.js';
import type { QueryPlan, QuerySource } from './service.js';

/** Which request kinds a source answers. */
export function inputKinds(source: QuerySource): InputKind[] {
  const kinds: InputKind[] = [];
  if (source.nUsers > 0) kinds.push('user');
  if (source.history) kinds.push('history');
  if (source.intention) kinds.push('intention');
  if (source.conversation) kinds.push('conversation');
  return kinds;
}

/**
 * The request semantics shared by every backend (those of `lmrec recommend`):
 * - `user`: the user's vector; their known (train) items are excluded;
 * - `history`: the model's vector for a new user with those items; the history is excluded;
 * - `intention` (+ `alpha`, default 0.5), with user or history (AlphaRec):
 *   q = (1 - alpha) u/|u| + alpha e/|e|;
 * - `conversation` (RTA): the context vector; mentioned items are kept unless `excludeMentioned`;
 * - `includeSeen` keeps the known items; `exclude` always applies.
 */
export async function planQuery(source: QuerySource, request: RecommendRequest): Promise<QueryPlan> {
  checkItems(source, request.exclude, 'exclude');
  let vector: Float32Array;
  let known: ArrayLike<number> = [];
  if (request.user !== undefined) {
    if (source.nUsers === 0) throw unsupported(source, 'user', 'it has no user vectors');
    const found = request.user < source.nUsers ? await source.user(request.user) : undefined;
    if (!found) throw new LmrecError('E_UNKNOWN_USER', `user ${request.user} is not in the run (users are 0..${source.nUsers - 1})`, { field: 'user' });
    vector = found.vector;
    known = found.seen;
  } else if (request.history !== undefined) {
    if (!source.history) throw unsupported(source, 'history', 'it cannot score a new history; give "user"');
    checkItems(source, request.history, 'history');
    known = request.history;
    vector = await rowOf(source.history([Int32Array.from(request.history)]), source.dim, 'history');
  } else {
    if (!source.conversation) throw unsupported(source, 'conversation', 'it is not a conversational (RTA) model');
    const turns = request.conversation!;
    turns.forEach((t, i) => checkItems(source, t.items, `conversation[${i}].items`));
    vector = await rowOf(source.conversation([turns as DialogueTurn[]]), source.dim, 'conversation');
    known = request.excludeMentioned ? turns.flatMap((t) => t.items) : [];
  }
  if (request.intention !== undefined) vector = await mixIntention(source, vector, request.intention, request.alpha ?? 0.5);
  const exclude = request.includeSeen ? request.exclude : [...Array.from(known), ...request.exclude];
  return { vector, k: request.k, exclude: sortedUnique(exclude) };
}

async function mixIntention(source: QuerySource, base: Float32Array, text: string, alpha: number): Promise<Float32Array> {
  if (!source.intention) throw unsupported(source, 'intention', 'it takes no intention texts (AlphaRec does)');
  const e = unit(await rowOf(source.intention([text]), source.dim, 'intention'));
  const u = unit(base);
  return Float32Array.from(u, (v, t) => (1 - alpha) * v + alpha * e[t]);
}


async function rowOf(value: Float32Array | Promise<Float32Array>, dim: number, field: string): Promise<Float32Array> {
  const out = await value;
  if (out.length !== dim) throw new LmrecError('E_SHAPE', `the ${field} encoder returned ${out.length} values, the model has dim ${dim}`, { field });
  return out;
}

function checkItems(source: QuerySource, ids: readonly number[], field: string): void {
  const bad = ids.findIndex((id) => id >= source.nItems);
  if (bad >= 0) {
    throw new LmrecError('E_UNKNOWN_ITEM', `item ${ids[bad]} is not in the catalogue (items are 0..${source.nItems - 1})`, { field: `${field}[${bad}]` });
  }
}

function unsupported(source: QuerySource, field: string, why: string): LmrecError {
  return new LmrecError('E_UNSUPPORTED', `model ${source.name} does not take "${field}": ${why}`, { field });
}

export function sortedUnique(ids: ArrayLike<number>): Int32Array {
  const sorted = Int32Array.from(ids).sort();
  let w = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[w++] = sorted[i];
  return sorted.slice(0, w);
}
