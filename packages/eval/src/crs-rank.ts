/** The RTA protocol's tie-averaged rank, over every item or a candidate list. */

/**
 * Tie-averaged 0-based rank of `target` among the items whose flag is set
 * (RTA protocol). Exposed for tests and for users ranking one list.
 */
export function crsRank(scores: ArrayLike<number>, offset: number, nItems: number, target: number, allowed?: Uint8Array): number {
  const st = clean(scores[offset + target]);
  let higher = 0;
  let equal = 0;
  if (st === -Infinity) {
    // NaN ties with a -Infinity (or NaN) target: take the slow path with the NaN mapping
    for (let j = 0; j < nItems; j++) {
      if (allowed && !allowed[j]) continue;
      const s = clean(scores[offset + j]);
      if (s > st) higher++;
      else if (s === st) equal++;
    }
  } else if (allowed) {
    // NaN compares false both ways: counted below a finite target, as -Infinity would be
    for (let j = 0; j < nItems; j++) {
      if (!allowed[j]) continue;
      const s = scores[offset + j];
      if (s > st) higher++;
      else if (s === st) equal++;
    }
  } else {
    for (let j = 0; j < nItems; j++) {
      const s = scores[offset + j];
      if (s > st) higher++;
      else if (s === st) equal++;
    }
  }
  return Math.floor((2 * higher + equal) / 2);
}

export function clean(s: number): number {
  return s !== s ? -Infinity : s;
}

/** countRank's result, reused to keep the per-example loop allocation-free. */
export const counts = { higher: 0, equal: 0 };

/** #higher and #equal (target included) over every item or a candidate list; NaN as -Infinity. */
export function countRank(scores: ArrayLike<number>, offset: number, nItems: number, st: number, list: Int32Array | undefined): void {
  let higher = 0;
  let equal = 0;
  const n = list ? list.length : nItems;
  if (st === -Infinity) {
    for (let i = 0; i < n; i++) {
      const s = clean(scores[offset + (list ? list[i] : i)]);
      if (s > st) higher++;
      else if (s === st) equal++;
    }
  } else if (list) {
    for (let i = 0; i < n; i++) {
      const s = scores[offset + list[i]];
      if (s > st) higher++;
      else if (s === st) equal++;
    }
  } else {
    // NaN compares false both ways: below a finite target, as -Infinity would be
    for (let j = 0; j < n; j++) {
      const s = scores[offset + j];
      if (s > st) higher++;
      else if (s === st) equal++;
    }
  }
  counts.higher = higher;
  counts.equal = equal;
}
