/** Levenshtein distance (insert, delete, substitute), case-sensitive. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The known key closest to a misspelt one, when it is close enough to be a
 * likely typo (at most 2 edits, and fewer edits than half the key's length).
 */
export function suggestKey(bad: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const key of known) {
    const d = editDistance(bad.toLowerCase(), key.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = key;
    }
  }
  return best !== undefined && bestDistance <= 2 && bestDistance < Math.max(2, bad.length / 2) ? best : undefined;
}
