/**
 * Tokenisation that matches how GloVe 6B's corpus was cut (Stanford
 * CoreNLP's PTB tokenizer, lower-cased): punctuation is split off,
 * clitics become their own tokens ("don't" -> "do" "n't", "it's" -> "it"
 * "'s"), hyphenated words stay whole when the vocabulary has them
 * ("sci-fi", "x-men") and fall apart into their pieces when it does not.
 * The exact rules are in the README (GloVe section).
 */

/** Version of the rules below; part of every id built on them. */
export const GLOVE_TOKENIZER = 'ptb1';

/** Letters, digits and combining marks: what a word is made of. */
const WORD_RUN = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;
const IS_WORD = /^[\p{L}\p{N}\p{M}]/u;
const DIGITS = /^\p{N}+$/u;
const TYPOGRAPHIC_APOSTROPHES = /[\u2018\u2019\u02bc]/g;
/** PTB clitics after an apostrophe ("'s", "'re", ...); "n't" is handled apart. */
const CLITICS = new Set(['s', 're', 've', 'll', 'm', 'd']);
/** Longest joined candidate: 5 word pieces and the 4 joiners between them ("a-b-c-d-e"). */
const MAX_JOIN_PIECES = 9;

/** Letters NFD does not decompose, folded the way ASCII-only vocabularies spell them. */
const FOLD_LETTERS: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ı: 'i', ħ: 'h' };
const NON_ASCII = /[^\p{ASCII}]/u;

/** `clitic`: a PTB clitic split off a word ("'s", "n't", "'re", ...). */
export type GloveTokenKind = 'word' | 'number' | 'clitic' | 'punct';

export interface GloveToken {
  /** The token as looked up (lower case, NFKC). */
  text: string;
  kind: GloveTokenKind;
  /** Vocabulary row, or -1 when out of vocabulary. */
  index: number;
  /** Found only after folding diacritics ("amélie" -> "amelie"). */
  folded?: boolean;
}

/** Row of a word in the vocabulary, -1 when absent. */
export type VocabLookup = (word: string) => number;

/** NFKC, lower case (locale-independent), typographic apostrophes -> "'". */
export function normalizeGloveText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(TYPOGRAPHIC_APOSTROPHES, "'");
}

/** "amélie" -> "amelie", "łódź" -> "lodz": NFD, combining marks removed, a few letters mapped. */
export function foldDiacritics(word: string): string {
  let out = '';
  for (const ch of word.normalize('NFD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += FOLD_LETTERS[ch] ?? ch;
  }
  return out;
}

function kindOf(text: string): GloveTokenKind {
  if (!IS_WORD.test(text)) return 'punct';
  return DIGITS.test(text) ? 'number' : 'word';
}

/** Exact lookup, then (words with non-ASCII letters only) the diacritic-folded form. */
function token(text: string, lookup: VocabLookup, kind = kindOf(text)): GloveToken {
  const index = lookup(text);
  if (index >= 0 || kind !== 'word' || !NON_ASCII.test(text)) return { text, kind, index };
  const folded = lookup(foldDiacritics(text));
  return folded >= 0 ? { text, kind, index: folded, folded: true } : { text, kind, index: -1 };
}

const isWordPiece = (piece: string | undefined) => piece !== undefined && IS_WORD.test(piece);

/** The longest in-vocabulary join of pieces[i..j] (j > i, both word pieces), or undefined. */
function longestJoin(pieces: readonly string[], i: number, lookup: VocabLookup): { text: string; end: number } | undefined {
  for (let j = Math.min(pieces.length - 1, i + MAX_JOIN_PIECES - 1); j > i; j--) {
    if (!isWordPiece(pieces[j])) continue;
    const text = pieces.slice(i, j + 1).join('');
    if (lookup(text) >= 0) return { text, end: j };
  }
  return undefined;
}

/** PTB clitic at pieces[i+1..i+2] after word piece i: ["it", "'s"] or ["do", "n't"]; undefined when none. */
function clitic(pieces: readonly string[], i: number): [string, string] | undefined {
  const [word, apostrophe, tail, after] = [pieces[i], pieces[i + 1], pieces[i + 2], pieces[i + 3]];
  if (apostrophe !== "'" || tail === undefined || isWordPiece(after)) return undefined;
  if (CLITICS.has(tail)) return [word, `'${tail}`];
  if (tail === 't' && word.length > 1 && word.endsWith('n')) return [word.slice(0, -1), "n't"];
  return undefined;
}

/** Tokens of one whitespace-free chunk. */
function chunkTokens(chunk: string, lookup: VocabLookup, out: GloveToken[]): void {
  const pieces = chunk.match(WORD_RUN) ?? [];
  let i = 0;
  while (i < pieces.length) {
    const piece = pieces[i];
    if (!isWordPiece(piece)) {
      out.push(token(piece, lookup));
      i++;
      continue;
    }
    const joined = longestJoin(pieces, i, lookup);
    if (joined) {
      out.push(token(joined.text, lookup));
      i = joined.end + 1;
      continue;
    }
    const split = clitic(pieces, i);
    if (split) {
      out.push(token(split[0], lookup), token(split[1], lookup, 'clitic'));
      i += 3;
      continue;
    }
    out.push(token(piece, lookup));
    i++;
  }
}

/** Every token of a text, punctuation included, each with its vocabulary row (-1 = OOV). */
export function gloveTokens(text: string, lookup: VocabLookup): GloveToken[] {
  const out: GloveToken[] = [];
  for (const chunk of normalizeGloveText(text).split(/\s+/u)) if (chunk) chunkTokens(chunk, lookup, out);
  return out;
}
