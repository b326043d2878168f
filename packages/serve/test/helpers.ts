import { Csr, Rng } from '@lmrec/core';
import type { FactorModel } from '../src/index.js';

/**
 * A random factorised model with simple, independent encoders: a history is
 * the mean of its items' vectors, an intention text hashes to a seeded
 * random vector, a conversation is the mean of the items it mentions.
 */
export function randomModel(seed: number, nUsers: number, nItems: number, dim: number, score: 'dot' | 'cosine' = 'dot'): FactorModel {
  const rng = new Rng(seed);
  const itemsT = Float32Array.from({ length: dim * nItems }, () => rng.normal());
  const users = Float32Array.from({ length: dim * nUsers }, () => rng.normal());
  const seen = Csr.fromRows(nItems, Array.from({ length: nUsers }, () => Array.from(rng.sampleWithoutReplacement(nItems, 1 + rng.int(6)))));
  const itemVector = (j: number) => Float32Array.from({ length: dim }, (_, c) => itemsT[c * nItems + j]);
  const mean = (ids: ArrayLike<number>) => {
    const out = new Float32Array(dim);
    for (let i = 0; i < ids.length; i++) itemVector(ids[i]).forEach((v, c) => (out[c] += v / ids.length));
    return out;
  };
  return {
    name: 'MF',
    score,
    dim,
    nItems,
    itemsT,
    users,
    seen,
    titles: Array.from({ length: nItems }, (_, j) => `Movie ${j}`),
    history: (hs) => concat(hs.map(mean)),
    intention: (texts) => concat(texts.map((t) => textVector(t, dim))),
    conversation: (cs) => concat(cs.map((turns) => mean(turns.flatMap((t) => [...t.items])))),
  };
}

export function textVector(text: string, dim: number): Float32Array {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const rng = new Rng(h);
  return Float32Array.from({ length: dim }, () => rng.normal());
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of rows) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

/** Brute force in float64: all scores, exclusions dropped, sorted best first (ties to the lower id). */
export function bruteForce(model: FactorModel, q: Float32Array, k: number, exclude: Iterable<number>): { id: number; score: number }[] {
  const skip = new Set(exclude);
  const { dim, nItems, itemsT } = model;
  const qn = model.score === 'cosine' ? Math.hypot(...q) : 1;
  const rows: { id: number; score: number }[] = [];
  for (let j = 0; j < nItems; j++) {
    if (skip.has(j)) continue;
    let s = 0;
    let n = 0;
    for (let c = 0; c < dim; c++) {
      s += q[c] * itemsT[c * nItems + j];
      n += itemsT[c * nItems + j] ** 2;
    }
    rows.push({ id: j, score: model.score === 'cosine' ? s / (qn * Math.sqrt(n)) : s });
  }
  return rows.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
}

export function userVector(model: FactorModel, u: number): Float32Array {
  return model.users!.slice(u * model.dim, (u + 1) * model.dim);
}
