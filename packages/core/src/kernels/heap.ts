/**
 * Bounded min-heaps of (score, id) pairs stored at an offset of shared
 * typed arrays: the root is the worst kept entry. "Better" means a higher
 * score, ties to the lower id.
 */

export function better(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa > sb || (sa === sb && ia < ib);
}

/** Adds an entry to a heap holding `size` < capacity entries; returns the new size. */
export function heapPush(hs: Float32Array, hi: Int32Array, off: number, size: number, s: number, id: number): number {
  let c = size;
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (!better(hs[off + p], hi[off + p], s, id)) break;
    hs[off + c] = hs[off + p];
    hi[off + c] = hi[off + p];
    c = p;
  }
  hs[off + c] = s;
  hi[off + c] = id;
  return size + 1;
}

/** Replaces the root (the worst entry) with (s, id) and restores the heap. */
export function heapReplaceRoot(hs: Float32Array, hi: Int32Array, off: number, size: number, s: number, id: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    // the child that ranks worse moves up
    const w = r < size && better(hs[off + l], hi[off + l], hs[off + r], hi[off + r]) ? r : l;
    if (!better(s, id, hs[off + w], hi[off + w])) break;
    hs[off + c] = hs[off + w];
    hi[off + c] = hi[off + w];
    c = w;
  }
  hs[off + c] = s;
  hi[off + c] = id;
}

/** Empties the heap into out[outOff ..] best first (pops worst first into the tail). */
export function heapDrain(
  hs: Float32Array,
  hi: Int32Array,
  off: number,
  size: number,
  outIds: Int32Array,
  outScores: Float32Array,
  outOff: number,
): void {
  for (let p = size - 1; p >= 0; p--) {
    outIds[outOff + p] = hi[off];
    outScores[outOff + p] = hs[off];
    const lastS = hs[off + p];
    const lastI = hi[off + p];
    if (p > 0) heapReplaceRoot(hs, hi, off, p, lastS, lastI);
  }
}
