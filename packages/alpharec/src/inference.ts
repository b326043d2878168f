import { Csr, LmrecError, topKBlock, type TextEncoder } from '@lmrec/core';
import type { Recommendation } from './config.js';
import { mapRows } from './mapping.js';
import type { AlphaRecNet } from './model.js';
import { normalizeRowsInPlace, scoreVectors, type CosineScorer } from './scorer.js';
import { historyMean, type ItemEmbeddings } from './user-vectors.js';

/** A fitted (or loaded) AlphaRec's scoring state: the net, its final vectors and every layer's rows. */
export interface Ready {
  net: AlphaRecNet;
  scorer: CosineScorer;
  layers: Float32Array[];
  train: Csr;
  items: ItemEmbeddings;
}

/**
 * Final vector of a user known only by the items they interacted with,
 * without retraining and without touching the graph:
 * - layer 0: MLP(mean of the items' language vectors);
 * - layer l (1..L): one propagation step over the user's own edges,
 *   e_u^(l) = sum_{j in H} E_j^(l-1) / sqrt(|H| (deg_j + 1)), with E_j^(l-1)
 *   the item's layer-(l-1) vector of the trained graph and deg_j its train
 *   degree (+1 counts the new edge; items do not see the new user);
 * - e_u = mean over layers 0..L (as in training), not normalised.
 * For the history of a training user and `inGraph: true` (no +1) this
 * reproduces the trained user's vector exactly.
 */
export function foldInUser(r: Ready, history: ArrayLike<number>, options: { inGraph?: boolean } = {}): Float32Array {
  const { net, layers, train } = r;
  const hist = uniqueItems(history, train.nCols);
  const out = net.config.outDim;
  const z = historyMean(hist, r.items);
  const e0 = hist.length ? mapRows(net.requireMapping(), z, 1) : new Float32Array(out);
  const L = net.config.layers;
  const acc = Float64Array.from(e0);
  const degree = itemDegrees(train);
  const nU = train.nRows;
  const extra = options.inGraph ? 0 : 1;
  for (let l = 1; l <= L && hist.length > 0; l++) {
    const prev = layers[l - 1];
    for (const j of hist) {
      const c = 1 / Math.sqrt(hist.length * (degree[j] + extra));
      if (!Number.isFinite(c)) continue;
      const o = (nU + j) * out;
      for (let t = 0; t < out; t++) acc[t] += c * prev[o + t];
    }
  }
  return Float32Array.from(acc, (v) => v / (L + 1));
}

/** The final vector of a known user (dense id) or of a history. */
export function userVector(r: Ready, who: { user?: number; history?: ArrayLike<number> }): Float32Array {
  if (who.history !== undefined) return foldInUser(r, who.history);
  if (who.user === undefined) throw new LmrecError('E_ARGUMENT', 'give a user id or an item history', { field: 'user' });
  const nUsers = r.train.nRows;
  if (!(Number.isInteger(who.user) && who.user >= 0 && who.user < nUsers)) throw new LmrecError('E_RANGE', `user ${who.user} is not in [0, ${nUsers})`, { field: 'user' });
  const out = r.net.config.outDim;
  return r.scorer.users.slice(who.user * out, (who.user + 1) * out);
}

/** Top-k items by cosine for one vector, `exclude` left out. */
export function rankVector(r: Ready, vector: Float32Array, k: number, exclude: readonly number[]): Recommendation {
  const nItems = r.train.nCols;
  const scores = scoreVectors(vector, undefined, r.scorer.itemsT, r.scorer.dim, nItems);
  const mask = Csr.fromRows(nItems, [exclude]);
  const top = topKBlock(scores, 1, nItems, Math.min(k, nItems), { exclude: mask });
  let n = top.ids.indexOf(-1);
  if (n < 0) n = top.ids.length;
  return { items: top.ids.slice(0, n), scores: top.scores.slice(0, n) };
}

/** Cosine scores [histories.length, nItems] for users known only by their histories (conversations). */
export function scoreHistories(r: Ready, histories: readonly Int32Array[]): Float32Array {
  const out = r.scorer.dim;
  const vectors = new Float32Array(histories.length * out);
  histories.forEach((h, i) => vectors.set(normalizeRowsInPlace(foldInUser(r, h), out), i * out));
  return scoreVectors(vectors, undefined, r.scorer.itemsT, out, r.train.nCols);
}

/** New items (or an intention) known only by text: encoder -> shared mapping, normalised. */
export async function textVectors(r: Ready, encoder: TextEncoder | undefined, texts: readonly string[]): Promise<Float32Array> {
  const z = await encodeTexts(r.net.name, encoder, r.items.dim, texts);
  return normalizeRowsInPlace(mapRows(r.net.requireMapping(), z, texts.length), r.net.config.outDim);
}

async function encodeTexts(model: string, encoder: TextEncoder | undefined, dim: number, texts: readonly string[]): Promise<Float32Array> {
  if (!encoder) throw new LmrecError('E_STATE', `${model} has no text encoder`, { hint: 'pass { encoder } to the constructor (the one that made the item vectors)' });
  if (encoder.dim !== dim) throw new LmrecError('E_SHAPE', `encoder "${encoder.id}" makes ${encoder.dim}-d vectors, the model was trained on ${dim}-d`);
  const rows = await encoder.encode(texts);
  const z = new Float32Array(texts.length * dim);
  rows.forEach((row, i) => z.set(row, i * dim));
  return z;
}

/** Distinct items of a history, sorted; an id outside the catalogue is an error. */
export function uniqueItems(history: ArrayLike<number>, nItems: number): number[] {
  const set = new Set<number>();
  for (let k = 0; k < history.length; k++) {
    const j = history[k];
    if (!(Number.isInteger(j) && j >= 0 && j < nItems)) throw new LmrecError('E_RANGE', `history item ${j} is not in [0, ${nItems})`, { field: 'history' });
    set.add(j);
  }
  return [...set].sort((a, b) => a - b);
}

const degreeCache = new WeakMap<Csr, Int32Array>();

function itemDegrees(train: Csr): Int32Array {
  let d = degreeCache.get(train);
  if (!d) {
    d = new Int32Array(train.nCols);
    for (const j of train.indices) d[j]++;
    degreeCache.set(train, d);
  }
  return d;
}
