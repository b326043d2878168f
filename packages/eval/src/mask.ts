import { Csr } from '@lmrec/core';

/**
 * The effective exclusion mask for one block of users: (a u b) \ targets per
 * row, so a seen item that is also a target is never hidden. Rows of the
 * returned Csr are block positions 0..users.length-1. Buffers are reused
 * between blocks; the returned Csr views them until the next call.
 */
export class MaskBuilder {
  private indices = new Int32Array(1024);
  private indptr: Int32Array;

  constructor(
    private readonly a: Csr,
    private readonly b: Csr,
    private readonly targets: Csr,
    maxRows: number,
  ) {
    this.indptr = new Int32Array(maxRows + 1);
  }

  build(users: Int32Array): Csr {
    const { a, b, targets } = this;
    let need = 0;
    for (let r = 0; r < users.length; r++) need += a.degree(users[r]) + b.degree(users[r]);
    if (need > this.indices.length) this.indices = new Int32Array(Math.max(need, this.indices.length * 2));
    if (this.indptr.length < users.length + 1) this.indptr = new Int32Array(users.length + 1);
    const out = this.indices;
    const ai = a.indices;
    const bi = b.indices;
    const ti = targets.indices;
    let w = 0;
    this.indptr[0] = 0;
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      let p = a.indptr[u];
      const pe = a.indptr[u + 1];
      let q = b.indptr[u];
      const qe = b.indptr[u + 1];
      let t = targets.indptr[u];
      const te = targets.indptr[u + 1];
      while (p < pe || q < qe) {
        let v: number;
        if (q >= qe || (p < pe && ai[p] < bi[q])) v = ai[p++];
        else if (p >= pe || bi[q] < ai[p]) v = bi[q++];
        else {
          v = ai[p++];
          q++;
        }
        while (t < te && ti[t] < v) t++;
        if (t < te && ti[t] === v) continue;
        out[w++] = v;
      }
      this.indptr[r + 1] = w;
    }
    return new Csr(users.length, a.nCols, this.indptr.subarray(0, users.length + 1), out.subarray(0, w));
  }
}
