import { LmrecError, Rng, type Backbone, type DialogueTurn } from '@lmrec/core';
import { crsRank } from '@lmrec/eval';
import type { ReindexModel } from './model.js';

export interface LearnToIndexResult {
  n: number;
  /** Fraction of items ranked first from their own title (ties averaged as in the CRS protocol). */
  hit1: number;
  hit10: number;
  /** Tie-averaged 0-based rank of each item given its own title. */
  ranks: Int32Array;
}

/**
 * Learn-to-Index (item-indexing ability): each item's own title is the
 * query; how often is that item ranked first (and in the top 10) among the
 * whole catalogue by q . V. `queries` [nItems * d] holds one query per item
 * (see `titleQueries`); `items` restricts the analysis to some items.
 */
export function learnToIndex(model: ReindexModel, queries: Float32Array, options: { items?: Int32Array; blockSize?: number } = {}): LearnToIndexResult {
  const d = model.dim;
  const n = model.nItems;
  const items = options.items ?? new Int32Array(n).map((_, i) => i);
  if (queries.length !== items.length * d) throw new LmrecError('E_SHAPE', `learnToIndex: ${queries.length} query values for ${items.length} items x d = ${d}`);
  const scorer = model.scorer(queries);
  const ranks = new Int32Array(items.length);
  const block = options.blockSize ?? 256;
  try {
    for (let s = 0; s < items.length; s += block) {
      const idx = new Int32Array(Math.min(block, items.length - s)).map((_, i) => s + i);
      const scores = scorer.scoreExamples(idx) as Float32Array;
      idx.forEach((e, r) => (ranks[e] = crsRank(scores, r * n, n, items[e])));
    }
  } finally {
    scorer.dispose();
  }
  let h1 = 0;
  let h10 = 0;
  for (const r of ranks) {
    if (r < 1) h1++;
    if (r < 10) h10++;
  }
  return { n: items.length, hit1: items.length ? h1 / items.length : 0, hit10: items.length ? h10 / items.length : 0, ranks };
}

/**
 * One query per title: the backbone's context vector of a one-turn context
 * whose text is the title (the LLM reads the title under the same prompt).
 */
export async function titleQueries(backbone: Backbone, titles: readonly string[]): Promise<Float32Array> {
  const vectors = await backbone.contextVectors(titles.map((text) => [{ role: 'seeker' as const, text, items: [] }]));
  const out = new Float32Array(titles.length * backbone.dim);
  vectors.forEach((v, i) => out.set(v, i * backbone.dim));
  return out;
}

/** The paper's context ablations. */
export type ContextAblation = 'S0' | 'S1' | 'S2' | 'S3';

export const CONTEXT_ABLATIONS: Record<ContextAblation, string> = {
  S0: 'original context',
  S1: 'items only: each turn keeps only the titles it mentions; turns without items are dropped',
  S2: 'items removed: mentioned titles are deleted from the text, items lists emptied',
  S3: 'items replaced at random: each mentioned item becomes a uniformly random catalogue item (same one everywhere in the context), titles replaced in the text',
};

export interface AblationOptions {
  /** Catalogue titles (item id -> title as rendered in turn text). */
  titles: readonly string[];
  /** For S3. */
  rng?: Rng;
}

/**
 * Pure transform of a conversation context before encoding (nothing is
 * mutated). Titles are located in the text by exact occurrence of the
 * item's title (also with runs of spaces collapsed, as loaders render them).
 */
export function ablateContext(turns: readonly DialogueTurn[], mode: ContextAblation, options: AblationOptions): DialogueTurn[] {
  const titleOf = (i: number) => {
    const t = options.titles[i];
    if (t === undefined) throw new LmrecError('E_RANGE', `item ${i} has no title`);
    return t;
  };
  switch (mode) {
    case 'S0':
      return turns.map((t) => ({ role: t.role, text: t.text, items: [...t.items] }));
    case 'S1':
      return turns.filter((t) => t.items.length > 0).map((t) => ({ role: t.role, text: t.items.map(titleOf).join(', '), items: [...t.items] }));
    case 'S2':
      return turns.map((t) => ({ role: t.role, text: tidySpaces(t.items.reduce((text, i) => replaceTitle(text, titleOf(i), ''), t.text)), items: [] }));
    case 'S3': {
      const rng = options.rng ?? new Rng(0);
      const swap = new Map<number, number>();
      const to = (i: number) => {
        if (!swap.has(i)) swap.set(i, rng.int(options.titles.length));
        return swap.get(i)!;
      };
      return turns.map((t) => ({
        role: t.role,
        text: t.items.reduce((text, i) => replaceTitle(text, titleOf(i), titleOf(to(i))), t.text),
        items: t.items.map(to),
      }));
    }
    default:
      throw new LmrecError('E_ARGUMENT', `unknown context ablation "${mode as string}"`, { hint: 'S0, S1, S2 or S3' });
  }
}

function replaceTitle(text: string, title: string, by: string): string {
  const variants = [...new Set([title, title.trim(), title.replace(/\s+/g, ' ').trim()])].filter((v) => v.length > 0);
  // longest first so "American Pie (1999)" wins over "American Pie"
  variants.sort((a, b) => b.length - a.length);
  for (const v of variants) {
    if (text.includes(v)) return text.split(v).join(by);
  }
  return text;
}

function tidySpaces(s: string): string {
  return s.replace(/[ \t]{2,}/g, ' ').trim();
}
