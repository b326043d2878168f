import { LmrecError } from '@lmrec/core';
import type { ReindexPairs } from './train.js';

export interface NormalizedTitle {
  /** Lower case, NFKC, punctuation -> spaces, "&" -> "and", leading/trailing article dropped. */
  text: string;
  /** A 4-digit year found in "(1999)" or at the end, if any. */
  year?: number;
}

const YEAR_PAREN = /\(\s*((?:18|19|20)\d{2})\s*\)/;
const YEAR_TAIL = /(?:^|\s)((?:18|19|20)\d{2})\s*$/;

/**
 * Title normalisation for matching generated titles to a catalogue:
 * strips list markers ("1. ", "- "), quotes, the year, punctuation and
 * articles ("The Matrix" = "Matrix, The" = "matrix").
 */
export function normalizeTitle(raw: string): NormalizedTitle {
  let s = raw.normalize('NFKC').toLowerCase().trim();
  s = s.replace(/^\s*(?:\d+[.)]|[-*•])\s+/, '');
  let year: number | undefined;
  const paren = YEAR_PAREN.exec(s);
  if (paren) {
    year = Number(paren[1]);
    s = s.replace(YEAR_PAREN, ' ');
  } else {
    const tail = YEAR_TAIL.exec(s);
    // a bare trailing number is a year only if something precedes it ("1917" alone is a title)
    if (tail && s.slice(0, tail.index).trim().length > 0) {
      year = Number(tail[1]);
      s = s.slice(0, tail.index);
    }
  }
  s = s.replace(/&/g, ' and ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  s = s.replace(/\s+(the|a|an)$/u, '').replace(/^(the|a|an)\s+/u, '');
  return { text: s.replace(/\s+/g, ' ').trim(), year };
}

/**
 * Levenshtein distance (unit costs) of two strings (UTF-16 units); when
 * `max` is given, returns max + 1 as soon as the distance must exceed it.
 */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export interface TitleMatcherOptions {
  /** Largest accepted normalised distance, levenshtein / max(length). Default 0.2. */
  threshold?: number;
  /** Years further apart than this never match (when both titles have one). Default 1. */
  yearTolerance?: number;
  /** Tie-break among equally close items (e.g. popularity); higher wins. */
  prior?: ArrayLike<number>;
}

export interface TitleMatch {
  item: number;
  distance: number;
}

/**
 * Maps free-text titles (an LLM's generated recommendations) to catalogue
 * items: normalised titles, year-aware (a title with a year never matches an
 * item whose year differs by more than `yearTolerance`; among equal texts the
 * one with the same year wins), Levenshtein distance relative to the longer
 * title, accepted up to `threshold`. Exact normalised matches are a hash
 * lookup; the rest scan the catalogue with a length filter and a bounded
 * distance. Results are cached per distinct input.
 */
export class TitleMatcher {
  readonly threshold: number;
  readonly yearTolerance: number;
  private readonly items: NormalizedTitle[];
  private readonly exact = new Map<string, number[]>();
  private readonly cache = new Map<string, TitleMatch | undefined>();
  private readonly prior?: ArrayLike<number>;

  constructor(titles: readonly string[], options: TitleMatcherOptions = {}) {
    this.threshold = options.threshold ?? 0.2;
    this.yearTolerance = options.yearTolerance ?? 1;
    if (!(this.threshold >= 0 && this.threshold < 1)) throw new LmrecError('E_ARGUMENT', `threshold must be in [0, 1), got ${this.threshold}`, { field: 'threshold' });
    this.prior = options.prior;
    this.items = titles.map(normalizeTitle);
    this.items.forEach((t, i) => {
      const list = this.exact.get(t.text);
      if (list) list.push(i);
      else this.exact.set(t.text, [i]);
    });
  }

  /** Best catalogue item for a title, or undefined when nothing is close enough. */
  match(title: string): TitleMatch | undefined {
    if (this.cache.has(title)) return this.cache.get(title);
    const result = this.compute(title);
    this.cache.set(title, result);
    return result;
  }

  private compute(title: string): TitleMatch | undefined {
    const q = normalizeTitle(title);
    if (q.text === '') return undefined;
    const exact = this.exact.get(q.text)?.filter((i) => this.yearOk(q, i));
    if (exact && exact.length) return { item: this.pick(q, exact), distance: 0 };
    let bestDist = Infinity;
    let best: number[] = [];
    const qLen = q.text.length;
    for (let i = 0; i < this.items.length; i++) {
      const t = this.items[i].text;
      const longest = Math.max(qLen, t.length);
      const budget = Math.floor(this.threshold * longest + 1e-9);
      if (Math.abs(qLen - t.length) > budget || !this.yearOk(q, i)) continue;
      const dist = levenshtein(q.text, t, budget);
      if (dist > budget) continue;
      const rel = dist / longest;
      if (rel < bestDist - 1e-12) {
        bestDist = rel;
        best = [i];
      } else if (Math.abs(rel - bestDist) <= 1e-12) best.push(i);
    }
    return best.length ? { item: this.pick(q, best), distance: bestDist } : undefined;
  }

  private yearOk(q: NormalizedTitle, i: number): boolean {
    const y = this.items[i].year;
    return q.year === undefined || y === undefined || Math.abs(q.year - y) <= this.yearTolerance;
  }

  /** Same year first, then the prior, then the lower id. */
  private pick(q: NormalizedTitle, candidates: number[]): number {
    const score = (i: number) => [q.year !== undefined && this.items[i].year === q.year ? 1 : 0, this.prior ? this.prior[i] : 0];
    return candidates.reduce((a, b) => {
      const [ya, pa] = score(a);
      const [yb, pb] = score(b);
      if (yb !== ya) return yb > ya ? b : a;
      if (pb !== pa) return pb > pa ? b : a;
      return Math.min(a, b);
    });
  }
}

export interface DistillationStats {
  generated: number;
  matched: number;
  /** Distinct titles that matched nothing. */
  unmatched: string[];
}

/**
 * LLM-generated labels (distillation, as the reference trains): the first
 * `topK` generated titles of each example matched to the catalogue, one pair
 * per distinct matched item. `generations[i]` belongs to query row i.
 */
export function distillationPairs(queries: Float32Array, generations: readonly (readonly string[])[], matcher: TitleMatcher, options: { topK?: number } = {}): { pairs: ReindexPairs; stats: DistillationStats } {
  const topK = options.topK ?? 5;
  const qi: number[] = [];
  const items: number[] = [];
  const unmatched = new Set<string>();
  let generated = 0;
  let matched = 0;
  generations.forEach((list, i) => {
    const seen = new Set<number>();
    for (const title of list.slice(0, topK)) {
      generated++;
      const m = matcher.match(title);
      if (!m) {
        unmatched.add(title);
        continue;
      }
      matched++;
      if (seen.has(m.item)) continue;
      seen.add(m.item);
      qi.push(i);
      items.push(m.item);
    }
  });
  return { pairs: { queries, queryIndex: Int32Array.from(qi), items: Int32Array.from(items) }, stats: { generated, matched, unmatched: [...unmatched] } };
}
