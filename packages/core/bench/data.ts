import { Csr, Rng } from '../src/index.js';

/** A random user-item interaction matrix: `perUser` distinct items per user, so nnz = nUsers * perUser. */
export function interactions(rng: Rng, nUsers: number, nItems: number, perUser: number): Csr {
  const rows = new Int32Array(nUsers * perUser);
  const cols = new Int32Array(nUsers * perUser);
  for (let u = 0; u < nUsers; u++) {
    rows.fill(u, u * perUser, (u + 1) * perUser);
    cols.set(rng.sampleWithoutReplacement(nItems, perUser), u * perUser);
  }
  return Csr.fromCoo(nUsers, nItems, rows, cols);
}

export function normalMatrix(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of `reps` runs after `warmup` runs. */
export function time(fn: () => void, reps: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}
