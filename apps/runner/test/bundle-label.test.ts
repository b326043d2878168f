import { describe, expect, it } from 'vitest';
import { defaultBundleLabel } from '../src/bundle/build.js';

describe('lmrec bundle without --model', () => {
  const plugins: Record<string, string> = { Popularity: 'popularity', 'MF-BPR': 'mf', 'Linear mapping': 'linear-mapping', AlphaRec: 'alpharec' };
  it('takes the first AlphaRec or linear-mapping row, not the first row', () => {
    expect(defaultBundleLabel(['Popularity', 'MF-BPR', 'AlphaRec', 'Linear mapping'], (l) => plugins[l])).toBe('AlphaRec');
    expect(defaultBundleLabel(['Popularity', 'Linear mapping', 'AlphaRec'], (l) => plugins[l])).toBe('Linear mapping');
  });
  it('falls back to the first row when none can be bundled (which then names the problem)', () => {
    expect(defaultBundleLabel(['Popularity', 'MF-BPR'], (l) => plugins[l])).toBe('Popularity');
    expect(defaultBundleLabel([], (l) => plugins[l])).toBeUndefined();
  });
});
