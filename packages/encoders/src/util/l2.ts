// No imports: the browser entry (and so a web page) uses it too.

/** In-place L2 normalisation; an all-zero row stays zero. */
export function l2Normalize(row: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += row[i] * row[i];
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < row.length; i++) row[i] *= inv;
  }
  return row;
}
