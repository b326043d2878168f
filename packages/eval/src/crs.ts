import { LmrecError, silentProgress, type ProgressReporter } from '@lmrec/core';
import { clean, countRank, counts } from './crs-rank.js';
import { checkKs } from './full-ranking.js';
import { checkDdof, standardErrorRule, summarise, type Ddof } from './stats.js';
import type { EvalResult } from './types.js';

/** Scores examples (by their index in the evaluated list) against the whole catalogue. */
export interface CrsScorer {
  readonly nItems: number;
  /** Row-major [indices.length, nItems]. */
  scoreExamples(indices: Int32Array): Float32Array | Promise<Float32Array>;
}

/** What the CRS evaluator needs of an example (datasets' CrsExample fits). */
export interface CrsExampleLike {
  target: number;
  /** Items mentioned in the context. */
  history: ArrayLike<number>;
  id?: string | number;
}

export interface CrsOptions {
  /** Cut-offs, default [1, 5, 10, 50]. */
  ks?: readonly number[];
  /** Remove the example's history items (except the target itself) from the candidates. Reference: false. */
  excludeMentioned?: boolean;
  /** Examples scored at once (one [blockSize, nItems] block). Default 64. */
  blockSize?: number;
  progress?: ProgressReporter;
  /** Candidate item ids (e.g. one dataset's catalogue inside a shared index); default every item. */
  candidates?: ArrayLike<number>;
  /** Standard error's ddof: 1 (default, sample std) or 0 (numpy's std, the official RTA code's). */
  ddof?: Ddof;
}

export { crsRank } from './crs-rank.js';

export const DEFAULT_CRS_KS = [1, 5, 10, 50] as const;

export const CRS_RANK_RULE = 'rank = floor((#higher + #higher_or_equal) / 2), 0-based over the candidates, the target counted in #higher_or_equal; NaN scores rank as -Infinity';

/**
 * Conversational recommendation evaluation (RTA.md): one unit per example,
 * Hit@K = 1[rank < K], NDCG@K = 1/log2(rank + 2) if hit, mean and standard
 * error over examples.
 */
export async function evaluateCrs(scorer: CrsScorer, examples: readonly CrsExampleLike[], options: CrsOptions = {}): Promise<EvalResult> {
  const ks = checkKs(options.ks ?? DEFAULT_CRS_KS);
  const nItems = scorer.nItems;
  const blockSize = options.blockSize ?? 64;
  if (!(Number.isInteger(blockSize) && blockSize > 0)) {
    throw new LmrecError('E_ARGUMENT', `blockSize must be a positive integer, got ${blockSize}`, { field: 'blockSize' });
  }
  const excludeMentioned = options.excludeMentioned ?? false;
  const ddof = checkDdof(options.ddof);
  const candidates = candidateSet(options.candidates, nItems);
  const rankOf = exampleRanker(nItems, candidates, excludeMentioned);

  const n = examples.length;
  const hit = ks.map(() => new Float64Array(n));
  const ndcg = ks.map(() => new Float64Array(n));
  let candidateSum = 0;
  const task = (options.progress ?? silentProgress).start('evaluate crs', n, 'examples');
  try {
    for (let start = 0; start < n; start += blockSize) {
      const indices = new Int32Array(Math.min(n, start + blockSize) - start);
      for (let i = 0; i < indices.length; i++) indices[i] = start + i;
      const scores = await scorer.scoreExamples(indices);
      if (scores.length !== indices.length * nItems) {
        throw new LmrecError('E_SHAPE', `scoreExamples returned ${scores.length} scores for ${indices.length} examples x ${nItems} items`);
      }
      for (let i = 0; i < indices.length; i++) {
        const e = start + i;
        const { rank, removed } = rankOf(scores, i * nItems, examples[e], e);
        candidateSum += candidates.count - removed;
        ks.forEach((k, c) => {
          if (rank < k) {
            hit[c][e] = 1;
            ndcg[c][e] = 1 / Math.log2(rank + 2);
          }
        });
      }
      task.tick(indices.length);
    }
  } finally {
    task.end();
  }

  const columns = new Map<string, Float64Array>();
  ks.forEach((k, c) => columns.set(`hit@${k}`, hit[c]));
  ks.forEach((k, c) => columns.set(`ndcg@${k}`, ndcg[c]));
  const { metrics, perUnit } = summarise(columns, ddof);
  return {
    protocol: {
      kind: 'crs',
      ks: [...ks],
      rank: CRS_RANK_RULE,
      hit: 'rank < K',
      ndcg: '1 / log2(rank + 2) if rank < K, else 0',
      excludeMentioned,
      exclusion: excludeMentioned ? "the example's history items except the target are removed from the candidates" : 'none (reference protocol)',
      nItems,
      candidates: options.candidates ? 'subset' : 'all items',
      candidateCount: candidates.count,
      meanCandidates: n > 0 ? candidateSum / n : candidates.count,
      standardError: standardErrorRule(ddof),
      ddof,
      sampled: false,
    },
    n,
    metrics,
    perUnit,
    ids: examples.map((e, i) => e.id ?? i),
  };
}

interface CandidateSet {
  /** allowed[j] = 1 for a candidate; undefined when every item is one. */
  allowed?: Uint8Array;
  list?: Int32Array;
  count: number;
}

function candidateSet(candidates: ArrayLike<number> | undefined, nItems: number): CandidateSet {
  if (!candidates) return { count: nItems };
  const allowed = new Uint8Array(nItems);
  let count = 0;
  for (let i = 0; i < candidates.length; i++) {
    const j = candidates[i];
    if (!(Number.isInteger(j) && j >= 0 && j < nItems)) {
      throw new LmrecError('E_RANGE', `candidate ${j} is outside [0, ${nItems})`, { field: 'candidates' });
    }
    if (!allowed[j]) count++;
    allowed[j] = 1;
  }
  const list = new Int32Array(count);
  for (let j = 0, w = 0; j < nItems; j++) if (allowed[j]) list[w++] = j;
  return { allowed, list, count };
}

/** One example's rank among the candidates, and how many of its mentioned items were removed from them. */
function exampleRanker(nItems: number, { allowed, list }: CandidateSet, excludeMentioned: boolean) {
  const isRemoved = new Uint8Array(nItems);
  return (scores: Float32Array, offset: number, { target, history }: CrsExampleLike, e: number) => {
    if (!(Number.isInteger(target) && target >= 0 && target < nItems)) {
      throw new LmrecError('E_RANGE', `example ${e}: target ${target} is outside [0, ${nItems})`, { field: 'target' });
    }
    if (allowed && !allowed[target]) {
      throw new LmrecError('E_ARGUMENT', `example ${e}: target ${target} is not among the candidates`, {
        field: 'candidates',
        hint: "the candidate set must be the target's dataset catalogue",
      });
    }
    const st = clean(scores[offset + target]);
    countRank(scores, offset, nItems, st, list);
    let { higher, equal } = counts;
    // excluded history items: subtract their contribution instead of rescanning the catalogue
    let removed = 0;
    if (excludeMentioned) {
      for (let h = 0; h < history.length; h++) {
        const j = history[h];
        if (j === target || !(j >= 0 && j < nItems) || isRemoved[j] || (allowed && !allowed[j])) continue;
        isRemoved[j] = 1;
        removed++;
        const s = clean(scores[offset + j]);
        if (s > st) higher--;
        else if (s === st) equal--;
      }
      for (let h = 0; h < history.length; h++) {
        const j = history[h];
        if (j >= 0 && j < nItems) isRemoved[j] = 0;
      }
    }
    return { rank: Math.floor((2 * higher + equal) / 2), removed };
  };
}
