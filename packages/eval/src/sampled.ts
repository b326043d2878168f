import { LmrecError, Rng, type Csr } from '@lmrec/core';

export interface SampledOptions {
  /** Negatives drawn per target (e.g. 100 for the common "1 + 100" protocol). */
  negatives: number;
  seed?: number;
}

export const SAMPLED_WARNING =
  'Sampled metrics rank targets against a few random negatives, not the catalogue; they are inconsistent with full-ranking metrics and can reverse model comparisons (Krichene & Rendle, KDD 2020). Report full-ranking numbers.';

/**
 * Top-maxK lists of one block under the sampled protocol: per user the
 * candidates are its targets plus `negatives * |T|` distinct items drawn
 * uniformly from the items neither masked nor targets (all of them when fewer
 * remain). The draw uses Rng(seed).fork(user), so it does not depend on the
 * block size. Ranking: score descending, ties to the lower item id.
 */
export function sampledTopK(
  users: Int32Array,
  mask: Csr,
  targets: Csr,
  nItems: number,
  maxK: number,
  options: SampledOptions,
  score: (row: number, user: number, items: Int32Array) => Float32Array,
): Int32Array {
  if (!(Number.isInteger(options.negatives) && options.negatives > 0)) {
    throw new LmrecError('E_ARGUMENT', `sampled.negatives must be a positive integer, got ${options.negatives}`, { field: 'sampled.negatives' });
  }
  const root = new Rng(options.seed ?? 0);
  const out = new Int32Array(users.length * maxK).fill(-1);
  const blocked = new Uint8Array(nItems);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const excluded = mask.row(r);
    const tRow = targets.row(u);
    for (const j of excluded) blocked[j] = 1;
    for (const j of tRow) blocked[j] = 1;
    const available = nItems - excluded.length - tRow.length;
    const need = Math.min(options.negatives * tRow.length, available);
    const rng = root.fork(u);
    const negatives = new Int32Array(need);
    if (need * 2 <= available) {
      const chosen = new Set<number>();
      let w = 0;
      while (w < need) {
        const x = rng.int(nItems);
        if (blocked[x] || chosen.has(x)) continue;
        chosen.add(x);
        negatives[w++] = x;
      }
    } else {
      const pool: number[] = [];
      for (let j = 0; j < nItems; j++) if (!blocked[j]) pool.push(j);
      const picked = rng.sampleWithoutReplacement(pool.length, need);
      for (let i = 0; i < need; i++) negatives[i] = pool[picked[i]];
    }
    for (const j of excluded) blocked[j] = 0;
    for (const j of tRow) blocked[j] = 0;

    const candidates = new Int32Array(tRow.length + need);
    candidates.set(tRow, 0);
    candidates.set(negatives, tRow.length);
    const s = score(r, u, candidates);
    const order = Array.from(candidates.keys()).sort((x, y) => {
      const sx = s[x] !== s[x] ? -Infinity : s[x];
      const sy = s[y] !== s[y] ? -Infinity : s[y];
      return sy - sx || candidates[x] - candidates[y];
    });
    const n = Math.min(maxK, order.length);
    for (let p = 0; p < n; p++) out[r * maxK + p] = candidates[order[p]];
  }
  return out;
}
