import { describe, expect, it } from 'vitest';
import { Csr, normalizedAdjacency, Rng } from '../src/index.js';
import { randomCoo } from './helpers.js';

function isSortedRows(a: Csr): boolean {
  for (let i = 0; i < a.nRows; i++) {
    const row = a.row(i);
    for (let p = 1; p < row.length; p++) if (row[p] <= row[p - 1]) return false;
  }
  return true;
}

describe('Csr.fromCoo', () => {
  const rng = new Rng(21);

  it('sums duplicate values and sorts columns, matching a dense accumulation', () => {
    const [n, m] = [30, 20];
    const coo = randomCoo(rng, n, m, 900); // ~1.5 entries per cell: many duplicates
    const a = Csr.fromCoo(n, m, coo.rows, coo.cols, coo.values);
    const dense = new Float64Array(n * m);
    const cells = new Set<number>();
    for (let k = 0; k < coo.rows.length; k++) {
      dense[coo.rows[k] * m + coo.cols[k]] += coo.values[k];
      cells.add(coo.rows[k] * m + coo.cols[k]);
    }
    expect(a.nnz).toBe(cells.size);
    expect(isSortedRows(a)).toBe(true);
    const got = a.toDense();
    for (let i = 0; i < n * m; i++) expect(got[i]).toBeCloseTo(dense[i], 5);
  });

  it('keeps a duplicated pair once in a 0/1 pattern', () => {
    const a = Csr.fromCoo(2, 4, [1, 0, 1, 1, 0], [3, 2, 0, 3, 2]);
    expect(Array.from(a.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(a.indices)).toEqual([2, 0, 3]);
    expect(a.values).toBeUndefined();
    expect(a.has(1, 3)).toBe(true);
    expect(a.has(1, 2)).toBe(false);
    expect(a.degree(1)).toBe(2);
  });

  it('refuses out-of-range ids and ragged inputs', () => {
    expect(() => Csr.fromCoo(2, 2, [0, 2], [0, 1])).toThrow(/entry 1 = \(2, 1\) is outside a 2 x 2 matrix/);
    expect(() => Csr.fromCoo(2, 2, [0], [0, 1])).toThrow(/same length/);
    expect(() => new Csr(3, 3, new Int32Array(3), new Int32Array(0))).toThrow(/expected nRows \+ 1 = 4/);
  });

  it('fromRows builds the same matrix as the row lists', () => {
    const a = Csr.fromRows(6, [[5, 1], [], [2, 2, 0]]);
    expect(Array.from(a.indptr)).toEqual([0, 2, 2, 4]);
    expect(Array.from(a.indices)).toEqual([1, 5, 0, 2]);
  });
});

describe('Csr algebra', () => {
  const rng = new Rng(4);

  it('transpose equals the dense transpose, columns sorted', () => {
    const [n, m] = [25, 17];
    const coo = randomCoo(rng, n, m, 120);
    const a = Csr.fromCoo(n, m, coo.rows, coo.cols, coo.values);
    const t = a.transpose();
    expect([t.nRows, t.nCols]).toEqual([m, n]);
    expect(isSortedRows(t)).toBe(true);
    const da = a.toDense();
    const dt = t.toDense();
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(dt[j * n + i]).toBe(da[i * m + j]);
  });

  it('union and minus equal the set operations per row', () => {
    const [n, m] = [12, 40];
    const a = Csr.fromCoo(...pattern(rng, n, m, 100));
    const b = Csr.fromCoo(...pattern(rng, n, m, 100));
    const u = a.union(b);
    const d = a.minus(b);
    for (let i = 0; i < n; i++) {
      const sa = new Set(a.row(i));
      const sb = new Set(b.row(i));
      expect(Array.from(u.row(i))).toEqual([...new Set([...sa, ...sb])].sort((x, y) => x - y));
      expect(Array.from(d.row(i))).toEqual([...sa].filter((x) => !sb.has(x)).sort((x, y) => x - y));
    }
    expect(() => a.union(Csr.fromCoo(n, m + 1, [], []))).toThrow(/cannot union/);
  });
});

function pattern(rng: Rng, n: number, m: number, nnz: number): [number, number, number[], number[]] {
  const r: number[] = [];
  const c: number[] = [];
  for (let k = 0; k < nnz; k++) {
    r.push(rng.int(n));
    c.push(rng.int(m));
  }
  return [n, m, r, c];
}

describe('normalizedAdjacency', () => {
  it('equals D^-1/2 [[0, R], [R^T, 0]] D^-1/2 worked out by hand', () => {
    // users u0: items 0, 1; u1: item 1; item 2 isolated.
    // degrees: u0 = 2, u1 = 1, i0 = 1, i1 = 2, i2 = 0
    const r = Csr.fromRows(3, [[0, 1], [1]]);
    const a = normalizedAdjacency(r);
    const s2 = 1 / Math.SQRT2;
    // node order: u0, u1, i0, i1, i2
    const expected = [
      [0, 0, s2, 0.5, 0],
      [0, 0, 0, s2, 0],
      [s2, 0, 0, 0, 0],
      [0.5, s2, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ];
    const dense = a.toDense();
    expect([a.nRows, a.nCols, a.nnz]).toEqual([5, 5, 6]);
    expected.forEach((row, i) => row.forEach((v, j) => expect(dense[i * 5 + j]).toBeCloseTo(v, 6)));
    expect(isSortedRows(a)).toBe(true);
  });
});
