import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Csr, Rng, scoreTopKReference } from '@lmrec/core';

export interface Factors {
  dim: number;
  nItems: number;
  nUsers: number;
  itemsT: Float32Array;
  users: Float32Array;
  seen: Csr;
  titles: string[];
}

/** Random factors with a few known items per user. */
export function randomFactors(seed: number, nUsers: number, nItems: number, dim: number): Factors {
  const rng = new Rng(seed);
  const itemsT = Float32Array.from({ length: dim * nItems }, () => rng.normal());
  const users = Float32Array.from({ length: dim * nUsers }, () => rng.normal());
  const rows = Array.from({ length: nUsers }, () => Array.from(rng.sampleWithoutReplacement(nItems, 1 + rng.int(8))));
  return { dim, nItems, nUsers, itemsT, users, seen: Csr.fromRows(nItems, rows), titles: Array.from({ length: nItems }, (_, j) => `Item ${j} "quoted", {braces}`) };
}

/** The exact answer by brute force (core's reference kernel), independent of the index. */
export function exactTop(f: Factors, vector: Float32Array, k: number, exclude: number[], score: 'dot' | 'cosine'): { ids: number[]; scores: number[] } {
  let itemsT = f.itemsT;
  let q = vector;
  if (score === 'cosine') {
    itemsT = Float32Array.from(f.itemsT);
    for (let j = 0; j < f.nItems; j++) {
      let n = 0;
      for (let c = 0; c < f.dim; c++) n += itemsT[c * f.nItems + j] ** 2;
      for (let c = 0; c < f.dim; c++) itemsT[c * f.nItems + j] /= Math.sqrt(n);
    }
    const norm = Math.hypot(...vector);
    q = vector.map((v) => v / norm);
  }
  const top = scoreTopKReference({ users: q, itemsT, dim: f.dim, nItems: f.nItems, k, exclude: Csr.fromRows(f.nItems, [exclude]) });
  const n = top.ids.indexOf(-1) < 0 ? k : top.ids.indexOf(-1);
  return { ids: Array.from(top.ids.subarray(0, n)), scores: Array.from(top.scores.subarray(0, n)) };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
