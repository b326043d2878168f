import type { GloveToken, GloveTokenKind } from './tokenize.js';

type CountedKind = Exclude<GloveTokenKind, 'punct'>;

/** Vocabulary coverage of a run: punctuation is dropped before pooling and not counted. */
export interface GloveTokenStats {
  texts: number;
  /** Word, number and clitic tokens. */
  tokens: number;
  inVocab: number;
  oov: number;
  /** oov / tokens (0 for no tokens). */
  oovRate: number;
  byKind: Record<CountedKind, { tokens: number; oov: number }>;
  /** Tokens found only after folding diacritics ("amélie" -> "amelie"). */
  folded: number;
  /** Texts with no in-vocabulary token (their vector is all zeros). */
  emptyTexts: number;
  /** The most frequent out-of-vocabulary tokens, most frequent first. */
  topOov: [string, number][];
}

export class TokenStatsCounter {
  private texts = 0;
  private folded = 0;
  private emptyTexts = 0;
  private readonly byKind: Record<CountedKind, { tokens: number; oov: number }> = {
    word: { tokens: 0, oov: 0 },
    number: { tokens: 0, oov: 0 },
    clitic: { tokens: 0, oov: 0 },
  };
  private readonly oovCounts = new Map<string, number>();

  add(tokens: readonly GloveToken[]): void {
    this.texts++;
    let found = 0;
    for (const t of tokens) {
      if (t.kind === 'punct') continue;
      const k = this.byKind[t.kind];
      k.tokens++;
      if (t.index < 0) {
        k.oov++;
        this.oovCounts.set(t.text, (this.oovCounts.get(t.text) ?? 0) + 1);
      } else {
        found++;
        if (t.folded) this.folded++;
      }
    }
    if (found === 0) this.emptyTexts++;
  }

  result(top = 20): GloveTokenStats {
    const kinds = Object.values(this.byKind);
    const tokens = kinds.reduce((s, k) => s + k.tokens, 0);
    const oov = kinds.reduce((s, k) => s + k.oov, 0);
    const topOov = [...this.oovCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top);
    return {
      texts: this.texts,
      tokens,
      inVocab: tokens - oov,
      oov,
      oovRate: tokens ? oov / tokens : 0,
      byKind: structuredClone(this.byKind),
      folded: this.folded,
      emptyTexts: this.emptyTexts,
      topOov,
    };
  }
}

/** One line for the progress log. */
export function formatTokenStats(stats: GloveTokenStats): string {
  const pct = (n: number, d: number) => `${d ? ((100 * n) / d).toFixed(1) : '0.0'}%`;
  const { word, number, clitic } = stats.byKind;
  const top = stats.topOov.slice(0, 8).map(([w, n]) => `${w} ${n}`).join(', ');
  return (
    `glove: ${stats.texts} texts, ${stats.tokens} tokens, OOV ${pct(stats.oov, stats.tokens)} ` +
    `(words ${pct(word.oov, word.tokens)}, numbers ${pct(number.oov, number.tokens)}, clitics ${pct(clitic.oov, clitic.tokens)}); ` +
    `${stats.emptyTexts} texts without a known word${top ? `; most frequent OOV: ${top}` : ''}`
  );
}
