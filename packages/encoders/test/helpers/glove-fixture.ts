import { randomVectors, writeGloveJson } from '../../src/testing/index.js';

export { randomVectors, writeGloveJson };

/**
 * A small vocabulary covering the TextEncoder contract texts (and the
 * words the tests need), in a plausible frequency order. No numbers, as in
 * the wink package.
 */
export const FIXTURE_WORDS = [
  'the', ',', '.', 'of', 'a', '(', ')', '-', "'", ':', 'and', 'story', 'four', 'get', 'about', 'very', 'long', 'rooms', 'twelve', 'toy',
  'monkeys', 'plot', 'summary', 'toys', 'shanghai', 'triad', 'dao', 'copycat', 'shorty', 'goldeneye', 'yao', 'waipo', 'qiao', 'cafe',
  'naive', 'amelie', 'lodz', 'sci-fi', 'x-men', 'spider-man', 'sci', 'fi', 'spider', 'man', 'do', 'ca', 'it', 'mafia', 'gangster', 'horror',
];

export function writeFixture(path: string, dim = 8, seed = 0): { words: string[]; vectors: number[][] } {
  const words = [...FIXTURE_WORDS];
  const vectors = randomVectors(words.length, dim, seed);
  writeGloveJson(path, words, vectors);
  return { words, vectors };
}
