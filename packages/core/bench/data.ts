import { Csr, Rng } from '../src/index.js';

/** A random user-item interaction matrix with a few popular items (Zipf-like item draw). */
export function interactions(rng: Rng, nUsers: number, nItems: number, perUser: number): Csr {
  const rows = new Int32Array(nUsers * perUser);
  const cols = new Int32Array(nUsers * perUser);
  for (let u = 0, w = 0; u < nUsers; u++) {
    for (let t = 0; t < perUser; t++, w++) {
      rows[w] = u;
      cols[w] = Math.min(nItems - 1, Math.floor(nItems * rng.float() ** 2));
    }
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
