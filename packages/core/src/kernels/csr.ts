import { LmrecError } from '../errors.js';

/**
 * Compressed sparse rows on plain typed arrays. Column ids within a row are
 * sorted ascending (binary search and merge-friendly); `values` is absent for
 * 0/1 matrices (interactions, masks).
 */
export class Csr {
  constructor(
    readonly nRows: number,
    readonly nCols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly values?: Float32Array,
  ) {
    if (indptr.length !== nRows + 1) {
      throw new LmrecError('E_SHAPE', `CSR indptr has ${indptr.length} entries, expected nRows + 1 = ${nRows + 1}`);
    }
    if (values && values.length !== indices.length) {
      throw new LmrecError('E_SHAPE', `CSR values (${values.length}) and indices (${indices.length}) differ in length`);
    }
  }

  get nnz(): number {
    return this.indices.length;
  }

  row(i: number): Int32Array {
    return this.indices.subarray(this.indptr[i], this.indptr[i + 1]);
  }

  rowValues(i: number): Float32Array | undefined {
    return this.values?.subarray(this.indptr[i], this.indptr[i + 1]);
  }

  degree(i: number): number {
    return this.indptr[i + 1] - this.indptr[i];
  }

  has(i: number, j: number): boolean {
    let lo = this.indptr[i];
    let hi = this.indptr[i + 1] - 1;
    const idx = this.indices;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = idx[mid];
      if (v === j) return true;
      if (v < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /**
   * Build from coordinates. Duplicate (row, col) pairs are summed (values) or
   * kept once (0/1 matrices). Out-of-range ids are an error.
   */
  static fromCoo(
    nRows: number,
    nCols: number,
    rows: ArrayLike<number>,
    cols: ArrayLike<number>,
    values?: ArrayLike<number>,
  ): Csr {
    const n = rows.length;
    if (cols.length !== n || (values && values.length !== n)) {
      throw new LmrecError('E_SHAPE', 'COO rows, cols and values must have the same length');
    }
    const counts = new Int32Array(nRows + 1);
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      const c = cols[k];
      if (!(r >= 0 && r < nRows) || !(c >= 0 && c < nCols)) {
        throw new LmrecError('E_RANGE', `COO entry ${k} = (${r}, ${c}) is outside a ${nRows} x ${nCols} matrix`);
      }
      counts[r + 1]++;
    }
    for (let i = 0; i < nRows; i++) counts[i + 1] += counts[i];
    const order = new Int32Array(n);
    const cursor = counts.slice(0, nRows);
    for (let k = 0; k < n; k++) order[cursor[rows[k]]++] = k;

    const indptr = new Int32Array(nRows + 1);
    const indices = new Int32Array(n);
    const vals = values ? new Float32Array(n) : undefined;
    let w = 0;
    for (let i = 0; i < nRows; i++) {
      const start = counts[i];
      const end = counts[i + 1];
      const seg = Array.from(order.subarray(start, end)).sort((a, b) => cols[a] - cols[b] || a - b);
      const rowStart = w;
      for (const k of seg) {
        const c = cols[k];
        if (w > rowStart && indices[w - 1] === c) {
          if (vals) vals[w - 1] += values![k];
          continue;
        }
        indices[w] = c;
        if (vals) vals[w] = values![k];
        w++;
      }
      indptr[i + 1] = w;
    }
    return new Csr(nRows, nCols, indptr, indices.slice(0, w), vals?.slice(0, w));
  }

  /** From per-row id lists (e.g. AlphaRec's `user item item ...` lines). */
  static fromRows(nCols: number, rows: readonly ArrayLike<number>[]): Csr {
    const r: number[] = [];
    const c: number[] = [];
    rows.forEach((items, i) => {
      for (let k = 0; k < items.length; k++) {
        r.push(i);
        c.push(items[k]);
      }
    });
    return Csr.fromCoo(rows.length, nCols, r, c);
  }

  transpose(): Csr {
    const counts = new Int32Array(this.nCols + 1);
    for (let k = 0; k < this.nnz; k++) counts[this.indices[k] + 1]++;
    for (let j = 0; j < this.nCols; j++) counts[j + 1] += counts[j];
    const cursor = counts.slice(0, this.nCols);
    const indices = new Int32Array(this.nnz);
    const values = this.values ? new Float32Array(this.nnz) : undefined;
    for (let i = 0; i < this.nRows; i++) {
      for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) {
        const dst = cursor[this.indices[k]]++;
        indices[dst] = i; // rows visited in order, so columns of the transpose stay sorted
        if (values) values[dst] = this.values![k];
      }
    }
    return new Csr(this.nCols, this.nRows, counts, indices, values);
  }

  /** Dense copy, row-major; for tests and tiny matrices only. */
  toDense(): Float32Array {
    const out = new Float32Array(this.nRows * this.nCols);
    for (let i = 0; i < this.nRows; i++) {
      for (let k = this.indptr[i]; k < this.indptr[i + 1]; k++) {
        out[i * this.nCols + this.indices[k]] += this.values ? this.values[k] : 1;
      }
    }
    return out;
  }

  /** Union of two 0/1 patterns with the same shape (e.g. train + valid masks). */
  union(other: Csr): Csr {
    if (other.nRows !== this.nRows || other.nCols !== this.nCols) {
      throw new LmrecError('E_SHAPE', `cannot union ${this.nRows}x${this.nCols} with ${other.nRows}x${other.nCols}`);
    }
    return mergeRows(this, other, (inA, inB) => inA || inB);
  }

  /** Entries of this pattern that are not in `other`. */
  minus(other: Csr): Csr {
    if (other.nRows !== this.nRows || other.nCols !== this.nCols) {
      throw new LmrecError('E_SHAPE', `cannot subtract ${other.nRows}x${other.nCols} from ${this.nRows}x${this.nCols}`);
    }
    return mergeRows(this, other, (inA, inB) => inA && !inB);
  }
}

function mergeRows(a: Csr, b: Csr, keep: (inA: boolean, inB: boolean) => boolean): Csr {
  const indptr = new Int32Array(a.nRows + 1);
  const out: number[] = [];
  for (let i = 0; i < a.nRows; i++) {
    let p = a.indptr[i];
    let q = b.indptr[i];
    const pe = a.indptr[i + 1];
    const qe = b.indptr[i + 1];
    while (p < pe || q < qe) {
      const x = p < pe ? a.indices[p] : Infinity;
      const y = q < qe ? b.indices[q] : Infinity;
      const v = Math.min(x, y);
      if (keep(x === v, y === v)) out.push(v);
      if (x === v) p++;
      if (y === v) q++;
    }
    indptr[i + 1] = out.length;
  }
  return new Csr(a.nRows, a.nCols, indptr, Int32Array.from(out));
}

/**
 * LightGCN's propagation matrix for a user-item interaction matrix R
 * (users x items): the symmetric (nU + nI) square matrix
 * A_hat = D^-1/2 [[0, R], [R^T, 0]] D^-1/2, no self loops. Users come first,
 * item j is node nU + j. Isolated nodes get zero rows.
 */
export function normalizedAdjacency(interactions: Csr): Csr {
  const nU = interactions.nRows;
  const nI = interactions.nCols;
  const rt = interactions.transpose();
  const n = nU + nI;
  const indptr = new Int32Array(n + 1);
  const nnz = interactions.nnz * 2;
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const invSqrt = (d: number) => (d > 0 ? 1 / Math.sqrt(d) : 0);
  let w = 0;
  for (let u = 0; u < nU; u++) {
    const du = invSqrt(interactions.degree(u));
    for (let k = interactions.indptr[u]; k < interactions.indptr[u + 1]; k++) {
      const j = interactions.indices[k];
      indices[w] = nU + j;
      values[w++] = du * invSqrt(rt.degree(j));
    }
    indptr[u + 1] = w;
  }
  for (let j = 0; j < nI; j++) {
    const dj = invSqrt(rt.degree(j));
    for (let k = rt.indptr[j]; k < rt.indptr[j + 1]; k++) {
      const u = rt.indices[k];
      indices[w] = u;
      values[w++] = dj * invSqrt(interactions.degree(u));
    }
    indptr[nU + j + 1] = w;
  }
  return new Csr(n, n, indptr, indices, values);
}
