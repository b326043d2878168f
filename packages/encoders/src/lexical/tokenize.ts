/**
 * Deterministic text normalisation: Unicode NFKC, then `toLowerCase()` (the
 * locale-independent Unicode default mapping, never `toLocaleLowerCase`).
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Word tokens of a text: normalised (NFKC + lower case), then maximal runs of
 * letters, digits and combining marks; everything else separates tokens.
 * "Toy Story (1995)" -> ["toy", "story", "1995"].
 */
export function lexicalTokens(text: string): string[] {
  return normalizeText(text).match(WORD) ?? [];
}

export interface LexicalFeatureOptions {
  /** Word n-gram range, inclusive; [0, 0] disables word features. Default [1, 2]. */
  wordNgrams?: readonly [number, number];
  /** Character n-gram range inside word boundaries, inclusive; [0, 0] disables. Default [3, 5]. */
  charNgrams?: readonly [number, number];
}

export const DEFAULT_WORD_NGRAMS: readonly [number, number] = [1, 2];
export const DEFAULT_CHAR_NGRAMS: readonly [number, number] = [3, 5];

/**
 * The feature strings of a text, with repeats (counts matter for tf):
 * - word n-grams "w:<t1> <t2> ..." over `lexicalTokens`,
 * - character n-grams "c:<chars>" of each token padded with one space on
 *   each side (scikit-learn's `char_wb`), counted in Unicode code points; a
 *   padded token shorter than n yields itself once (as `char_wb` does).
 * Prefixes keep a word unigram from colliding with an identical char n-gram.
 */
export function lexicalFeatures(text: string, options: LexicalFeatureOptions = {}): string[] {
  const [wMin, wMax] = options.wordNgrams ?? DEFAULT_WORD_NGRAMS;
  const [cMin, cMax] = options.charNgrams ?? DEFAULT_CHAR_NGRAMS;
  const tokens = lexicalTokens(text);
  const out: string[] = [];
  if (wMin > 0) {
    for (let n = wMin; n <= wMax; n++) {
      for (let i = 0; i + n <= tokens.length; i++) out.push(`w:${tokens.slice(i, i + n).join(' ')}`);
    }
  }
  if (cMin > 0) {
    for (const token of tokens) {
      const chars = Array.from(` ${token} `);
      for (let n = cMin; n <= cMax; n++) {
        if (chars.length < n) {
          if (n === cMin) out.push(`c:${chars.join('')}`);
          break;
        }
        for (let i = 0; i + n <= chars.length; i++) out.push(`c:${chars.slice(i, i + n).join('')}`);
      }
    }
  }
  return out;
}
