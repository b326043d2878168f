import { describe, expect, it } from 'vitest';
import { levenshtein, normalizeTitle, TitleMatcher } from '../src/index.js';

/** Textbook full-matrix Levenshtein, to check the banded one. */
function naive(a: string, b: string): number {
  const D = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) D[i][j] = Math.min(D[i - 1][j] + 1, D[i][j - 1] + 1, D[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return D[a.length][b.length];
}

describe('title matcher', () => {
  it('levenshtein agrees with the textbook DP, and the bound cuts off correctly', () => {
    const words = ['', 'a', 'kitten', 'sitting', 'saturday', 'sunday', 'the matrix', 'matrix', 'abcdef', 'fedcba'];
    for (const a of words) {
      for (const b of words) {
        const d = naive(a, b);
        expect(levenshtein(a, b)).toBe(d);
        for (const max of [0, 1, 2, 3]) expect(levenshtein(a, b, max) > max).toBe(d > max);
      }
    }
    expect(levenshtein('kitten', 'sitting')).toBe(3);
  });

  it('normalises case, punctuation, articles, list markers and years', () => {
    expect(normalizeTitle('1. The Matrix (1999)')).toEqual({ text: 'matrix', year: 1999 });
    expect(normalizeTitle('Matrix, The')).toEqual({ text: 'matrix', year: undefined });
    expect(normalizeTitle('"Fast & Furious" 2009')).toEqual({ text: 'fast and furious', year: 2009 });
    expect(normalizeTitle('1917')).toEqual({ text: '1917', year: undefined });
    expect(normalizeTitle('Blade Runner 2049 (2017)')).toEqual({ text: 'blade runner 2049', year: 2017 });
  });

  it('matches typos within the threshold, respects years, and rejects far titles', () => {
    const titles = ['Heat (1995)', 'Heat (1986)', 'The Matrix (1999)', 'Toy Story (1995)', 'Toy Story 2 (1999)', 'Jumanji (1995)'];
    const m = new TitleMatcher(titles, { threshold: 0.2, yearTolerance: 1 });
    expect(m.match('Heat (1986)')?.item).toBe(1);
    expect(m.match('Heat (1995)')?.item).toBe(0);
    expect(m.match('heat')?.item).toBe(0); // no year: lower id among equals
    expect(m.match('Heat (2010)')).toBeUndefined(); // year too far from both
    expect(m.match('Toy Storey (1995)')).toEqual({ item: 3, distance: 1 / 10 }) // 'toy storey' vs 'toy story': 1 edit / 10 chars;
    expect(m.match('Toy Story 2')?.item).toBe(4);
    expect(m.match('Jumangi (1996)')?.item).toBe(5); // typo + year within tolerance
    expect(m.match('Casablanca')).toBeUndefined();
    expect(m.match('')).toBeUndefined();
    const strict = new TitleMatcher(titles, { threshold: 0.05 });
    expect(strict.match('Toy Storey (1995)')).toBeUndefined();
    const withPrior = new TitleMatcher(titles, { prior: [1, 5, 0, 0, 0, 0] });
    expect(withPrior.match('heat')?.item).toBe(1);
  });
});
