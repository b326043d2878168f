import { LmrecError } from '@lmrec/core';
import type { GloveVectors } from './vectors.js';

export type GlovePooling = 'mean' | 'sif';

/** H_n = 1 + 1/2 + ... + 1/n, summed from the small end for accuracy. */
export function harmonic(n: number): number {
  let h = 0;
  for (let r = n; r >= 1; r--) h += 1 / r;
  return h;
}

/**
 * Zipf's law estimate of a word's corpus probability from its frequency
 * rank (row index i, 0-based; the vocabulary is sorted by decreasing count):
 * p = 1 / ((i + 1) * H_size), which sums to 1 over the vocabulary.
 */
export function zipfProbability(index: number, size: number, harmonicSize = harmonic(size)): number {
  return 1 / ((index + 1) * harmonicSize);
}

/** SIF weight a / (a + p(w)) of every row (Arora et al., 2017). */
export function sifWeights(size: number, a: number): Float32Array {
  const h = harmonic(size);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = a / (a + zipfProbability(i, size, h));
  return out;
}

/**
 * Weighted average of rows: sum_t w_t v_t / T (T = number of tokens, as in
 * SIF's reference code; with all w = 1 the plain mean). Zero for no tokens.
 */
export function poolRows(table: GloveVectors, indices: readonly number[], weights?: readonly number[]): Float64Array {
  const d = table.dim;
  const out = new Float64Array(d);
  if (indices.length === 0) return out;
  const v = table.vectors;
  indices.forEach((index, t) => {
    const w = weights ? weights[t] : 1;
    const base = index * d;
    for (let j = 0; j < d; j++) out[j] += w * v[base + j];
  });
  for (let j = 0; j < d; j++) out[j] /= indices.length;
  return out;
}

/**
 * First principal component of a set of rows, uncentred as in SIF (its
 * TruncatedSVD on the sentence matrix): the top eigenvector of G = sum x x^T,
 * by power iteration from the mean direction, sign fixed so its largest
 * entry is positive. Undefined when every row is zero.
 */
export function firstPrincipalComponent(rows: readonly Float64Array[], dim: number): Float64Array | undefined {
  const g = new Float64Array(dim * dim);
  const start = new Float64Array(dim);
  for (const x of rows) {
    for (let a = 0; a < dim; a++) {
      start[a] += x[a];
      if (x[a] === 0) continue;
      for (let b = 0; b < dim; b++) g[a * dim + b] += x[a] * x[b];
    }
  }
  if (!g.some((v) => v !== 0)) return undefined;
  // Tilt the start off the mean a little, so it is never exactly orthogonal to the answer.
  let u = normalized(start.map((v, a) => v + 1e-3 * (a + 1)));
  for (let iter = 0; iter < 10_000; iter++) {
    const next = normalized(matVec(g, u, dim));
    let change = 0;
    for (let a = 0; a < dim; a++) change = Math.max(change, Math.abs(next[a] - u[a]));
    u = next;
    if (change < 1e-12) break;
  }
  let big = 0;
  for (let a = 1; a < dim; a++) if (Math.abs(u[a]) > Math.abs(u[big])) big = a;
  if (u[big] < 0) for (let a = 0; a < dim; a++) u[a] = -u[a];
  return u;
}

function matVec(g: Float64Array, u: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(dim);
  for (let a = 0; a < dim; a++) {
    let s = 0;
    for (let b = 0; b < dim; b++) s += g[a * dim + b] * u[b];
    out[a] = s;
  }
  return out;
}

function normalized(x: Float64Array): Float64Array {
  const n = Math.hypot(...x);
  if (n === 0) throw new LmrecError('E_NUMERIC', 'principal component iteration collapsed to zero');
  return x.map((v) => v / n);
}

/** x - u (u . x), in place; u is unit length. */
export function removeComponent(x: Float64Array, u: ArrayLike<number>): Float64Array {
  let dot = 0;
  for (let j = 0; j < x.length; j++) dot += u[j] * x[j];
  for (let j = 0; j < x.length; j++) x[j] -= dot * u[j];
  return x;
}
