import { describe, expect, it } from 'vitest';
import { foldDiacritics, gloveTokens, normalizeGloveText } from '../src/index.js';

const VOCAB = ['the', 'toy', 'story', '(', ')', '-', "'", ':', '/', '.', ',', 'sci-fi', 'x-men', 'spider-man', 'batman', 'star', 'crossed', 'do', 'ca', 'it', 'players', 'brien', 'o', 'amelie', 'lodz', 'cafe', 'a-b-c-d-e', 'a', 'b', 'c', 'f'];
const rows = new Map(VOCAB.map((w, i) => [w, i]));
const lookup = (w: string) => rows.get(w) ?? -1;
/** [text, kind, in vocabulary] per token. */
const toks = (text: string, lk = lookup) => gloveTokens(text, lk).map((t) => [t.text, t.kind, t.index >= 0]);

describe('gloveTokens', () => {
  it('lower-cases, splits punctuation off, marks numbers and OOV', () => {
    expect(toks('Toy Story (1995)')).toEqual([
      ['toy', 'word', true],
      ['story', 'word', true],
      ['(', 'punct', true],
      ['1995', 'number', false],
      [')', 'punct', true],
    ]);
    expect(gloveTokens('Toy', lookup)[0].index).toBe(1);
    expect(toks('   \n\t')).toEqual([]);
    expect(toks('')).toEqual([]);
  });

  it('keeps hyphenated words the vocabulary has, splits the others', () => {
    expect(toks('Sci-Fi X-Men:')).toEqual([
      ['sci-fi', 'word', true],
      ['x-men', 'word', true],
      [':', 'punct', true],
    ]);
    expect(toks('Star-Crossed')).toEqual([
      ['star', 'word', true],
      ['-', 'punct', true],
      ['crossed', 'word', true],
    ]);
    // the longest in-vocabulary join wins; joins never start or end on punctuation
    expect(toks('(spider-man/batman)').map((t) => t[0])).toEqual(['(', 'spider-man', '/', 'batman', ')']);
    // at most 5 word pieces are joined
    expect(toks('a-b-c-d-e-f').map((t) => t[0])).toEqual(['a-b-c-d-e', '-', 'f']);
    expect(toks('a-b-c').map((t) => t[0])).toEqual(['a', '-', 'b', '-', 'c']);
  });

  it('splits PTB clitics, typographic apostrophes included', () => {
    expect(toks("Don't")).toEqual([
      ['do', 'word', true],
      ["n't", 'clitic', false],
    ]);
    expect(toks("can't").map((t) => t[0])).toEqual(['ca', "n't"]);
    expect(toks('It’s')).toEqual([
      ['it', 'word', true],
      ["'s", 'clitic', false],
    ]);
    expect(toks("we're I'm you'll they've he'd").filter((t) => t[1] === 'clitic').map((t) => t[0])).toEqual(["'re", "'m", "'ll", "'ve", "'d"]);
    expect(toks("players'")).toEqual([
      ['players', 'word', true],
      ["'", 'punct', true],
    ]);
    // not a clitic: the apostrophe splits the word, unless the vocabulary has it whole
    expect(toks("O'Brien").map((t) => t[0])).toEqual(['o', "'", 'brien']);
    expect(toks("o'brien", (w) => (w === "o'brien" ? 7 : -1))).toEqual([["o'brien", 'word', true]]);
    expect(toks("it's", (w) => (w === "it's" ? 3 : -1))).toEqual([["it's", 'word', true]]);
  });

  it('splits numbers at their punctuation unless the vocabulary has them', () => {
    expect(toks('3.5 1,000').map((t) => [t[0], t[1]])).toEqual([
      ['3', 'number'],
      ['.', 'punct'],
      ['5', 'number'],
      ['1', 'number'],
      [',', 'punct'],
      ['000', 'number'],
    ]);
    expect(toks('3.5', (w) => (w === '3.5' ? 0 : -1))).toEqual([['3.5', 'word', true]]);
    expect(toks('t2 1990s').map((t) => t[1])).toEqual(['word', 'word']);
  });

  it('folds diacritics only when the accented form is unknown', () => {
    const [amelie] = gloveTokens('Amélie', lookup);
    expect(amelie).toEqual({ text: 'amélie', kind: 'word', index: rows.get('amelie'), folded: true });
    expect(gloveTokens('Amélie', (w) => (w === 'amélie' ? 9 : -1))[0]).toEqual({ text: 'amélie', kind: 'word', index: 9 });
    expect(gloveTokens('Łódź café', lookup).map((t) => t.index)).toEqual([rows.get('lodz'), rows.get('cafe')]);
    expect(gloveTokens('千と千尋の神隠し', lookup)).toEqual([{ text: '千と千尋の神隠し', kind: 'word', index: -1 }]);
    expect(foldDiacritics('straße æon øre')).toBe('strasse aeon ore');
  });

  it('normalises with NFKC, locale-free lower case and typographic apostrophes', () => {
    expect(normalizeGloveText('Ｔｏｙ ＳＴＯＲＹ ﬁ')).toBe('toy story fi');
    expect(normalizeGloveText('İ')).toBe('i̇');
    expect(normalizeGloveText('‘a’ ʼb')).toBe("'a' 'b");
    expect(toks('Ｔｏｙ')).toEqual([['toy', 'word', true]]);
  });
});
