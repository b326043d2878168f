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

/** Median wall and CPU milliseconds (all threads of the process) of `reps` runs after `warmup` runs. */
export function timeBoth(fn: () => void, reps: number, warmup = 1): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Median wall milliseconds. */
export function time(fn: () => void, reps: number, warmup = 1): number {
  return timeBoth(fn, reps, warmup).wall;
}
