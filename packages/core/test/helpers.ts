import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Rng } from '../src/index.js';

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'lmrec-core-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Random COO triples (duplicates likely when dense enough). */
export function randomCoo(rng: Rng, nRows: number, nCols: number, nnz: number) {
  const rows = new Int32Array(nnz);
  const cols = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let k = 0; k < nnz; k++) {
    rows[k] = rng.int(nRows);
    cols[k] = rng.int(nCols);
    values[k] = Math.fround(rng.float() * 2 - 1);
  }
  return { rows, cols, values };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
