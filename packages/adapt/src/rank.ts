/**
 * 0-based rank of the target under the CRS protocol, ties averaged:
 * floor((#higher + #higherOrEqual) / 2), where #higherOrEqual counts the
 * target itself. NaN scores count as lowest. Items in `exclude` (other than
 * the target) are skipped.
 */
export function crsRank(scores: ArrayLike<number>, offset: number, nItems: number, target: number, exclude?: ReadonlySet<number>): number {
  const t = scores[offset + target];
  const ts = t !== t ? -Infinity : t;
  let higher = 0;
  let higherOrEqual = 0;
  for (let j = 0; j < nItems; j++) {
    if (exclude && j !== target && exclude.has(j)) continue;
    let s = scores[offset + j];
    if (s !== s) s = -Infinity;
    if (s > ts) higher++;
    if (s >= ts) higherOrEqual++;
  }
  return Math.floor((higher + higherOrEqual) / 2);
}
