import * as tf from '@tensorflow/tfjs';
import { BundleError } from './errors.js';
import type { BundleManifest } from './format.js';
import type { IntentionEncoder } from './intention.js';
import type { MappingOnTf } from './mlp.js';

export interface RecommendRequest {
  /** Dense item ids (0..nItems-1) the user likes; left out of the answer. */
  history: readonly number[];
  /** Free text mixed into the user vector: e_u' = (1 - alpha) e_u + alpha e_intent. */
  intention?: string;
  /** Weight of the intention in [0, 1] (default 0.5, as `lmrec recommend`). */
  alpha?: number;
  k?: number;
}

export interface RecommendedItem {
  rank: number;
  item: number;
  id: string;
  title: string;
  score: number;
  /** Train interactions of the item (its degree in the trained graph). */
  popularity: number;
}

export interface RecommendAnswer {
  items: RecommendedItem[];
  /** Intention words the bundled vocabulary does not hold (they add nothing to the vector). */
  unknownWords: string[];
}

/** What the scorer holds: item rows of layers 0..L-1 (for the fold-in), train degrees, the normalised final vectors on tfjs. */
export interface ScoringState {
  language: Float32Array;
  layers: Float32Array[];
  degree: Int32Array;
  itemsT: tf.Tensor2D;
}

/**
 * AlphaRec's answer for a new user known by an item history, as
 * `lmrec recommend --history ... [--intention ... --alpha ...]` computes it
 * (packages/alpharec/src/inference.ts, foldInUser and recommend):
 * layer 0 = MLP(mean language vector of the history), layer l adds
 * sum_j E_j^(l-1) / sqrt(|H| (deg_j + 1)), mean over layers, normalised,
 * mixed with the normalised MLP(intention), cosine against the items.
 */
export class BundleRecommender {
  constructor(
    readonly manifest: BundleManifest,
    private readonly mapping: MappingOnTf,
    private readonly state: ScoringState,
    readonly intention: IntentionEncoder | undefined,
  ) {}

  get degree(): Int32Array {
    return this.state.degree;
  }

  recommend(request: RecommendRequest): RecommendAnswer {
    const { nItems } = this.manifest;
    const k = request.k ?? 10;
    if (!(Number.isInteger(k) && k >= 1)) throw new BundleError('E_ARGUMENT', `k must be a positive integer, got ${k}`, { field: 'k' });
    const alpha = request.alpha ?? 0.5;
    if (!(alpha >= 0 && alpha <= 1)) throw new BundleError('E_ARGUMENT', `alpha must be in [0, 1], got ${alpha}`, { field: 'alpha' });
    const history = uniqueItems(request.history, nItems);
    const u = normalize(this.foldIn(history));
    let unknownWords: string[] = [];
    if (request.intention !== undefined) {
      if (!this.intention) throw new BundleError('E_INTENTION', 'this bundle cannot take intentions: its model was not trained with the glove encoder', { field: 'intention', hint: 'train with encoder "glove" and bundle again' });
      const encoded = this.intention.encode(request.intention);
      unknownWords = encoded.unknown;
      const e = normalize(this.mapping.apply(encoded.vector, 1));
      for (let t = 0; t < u.length; t++) u[t] = (1 - alpha) * u[t] + alpha * e[t];
    }
    return { items: this.rank(u, k, history), unknownWords };
  }

  /** The user's final vector (not normalised), as foldInUser with a new user's +1 on each degree. */
  private foldIn(history: number[]): Float32Array {
    const { inDim, outDim, layers } = this.manifest;
    const n = history.length;
    if (n === 0) return new Float32Array(outDim);
    const acc64 = new Float64Array(inDim);
    for (const j of history) for (let t = 0; t < inDim; t++) acc64[t] += this.state.language[j * inDim + t];
    const z = Float32Array.from(acc64, (v) => v / n);
    const acc = Float64Array.from(this.mapping.apply(z, 1));
    for (let l = 1; l <= layers; l++) {
      const prev = this.state.layers[l - 1];
      for (const j of history) {
        const c = 1 / Math.sqrt(n * (this.state.degree[j] + 1));
        for (let t = 0; t < outDim; t++) acc[t] += c * prev[j * outDim + t];
      }
    }
    return Float32Array.from(acc, (v) => v / (layers + 1));
  }

  /** Cosine scores on tfjs, top k + |history| there, history left out and ties to the lower id here. */
  private rank(u: Float32Array, k: number, history: number[]): RecommendedItem[] {
    const { nItems, outDim, ids, titles } = this.manifest;
    const take = Math.min(nItems, k + history.length);
    const { values, indices } = tf.tidy(() => tf.topk(tf.matMul(tf.tensor2d(u, [1, outDim]), this.state.itemsT).reshape([nItems]), take, true));
    const scores = values.dataSync() as Float32Array;
    const items = indices.dataSync() as Int32Array;
    values.dispose();
    indices.dispose();
    const seen = new Set(history);
    const order = Array.from(items.keys()).filter((r) => !seen.has(items[r]));
    order.sort((a, b) => scores[b] - scores[a] || items[a] - items[b]);
    return order.slice(0, k).map((r, rank) => {
      const item = items[r];
      return { rank: rank + 1, item, id: ids[item], title: titles[item], score: scores[r], popularity: this.state.degree[item] };
    });
  }

  dispose(): void {
    this.mapping.dispose();
    this.state.itemsT.dispose();
  }
}

/** L2-normalise in place as AlphaRec's normalizeRowsInPlace (zero stays zero). */
function normalize(x: Float32Array): Float32Array {
  let ss = 0;
  for (let t = 0; t < x.length; t++) ss += x[t] * x[t];
  const inv = 1 / Math.max(Math.sqrt(ss), 1e-12);
  for (let t = 0; t < x.length; t++) x[t] *= inv;
  return x;
}

/** Distinct history items, sorted; an id outside the catalogue is a typed error. */
function uniqueItems(history: readonly number[], nItems: number): number[] {
  if (!Array.isArray(history)) throw new BundleError('E_ARGUMENT', 'history must be an array of item ids', { field: 'history' });
  for (const j of history) {
    if (!(Number.isInteger(j) && j >= 0 && j < nItems)) throw new BundleError('E_RANGE', `history item ${j} is not in [0, ${nItems})`, { field: 'history' });
  }
  return [...new Set(history)].sort((a, b) => a - b);
}
