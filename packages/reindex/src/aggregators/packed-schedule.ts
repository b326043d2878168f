/**
 * PyTorch's PackedSequence layout for a batch of prefix masks: rows sorted by
 * length (longest first), so the rows still running at step t are always the
 * first `batchSizes[t]`, and a recurrence touches only valid tokens. Titles
 * average ~3 tokens against a batch's longest of 10-15, so this skips most
 * of the work a masked step-by-step run would do on padding.
 */
export interface PackedSchedule {
  /** Rows of the batch, sorted by length (descending, stable). */
  order: Int32Array;
  /** lengths[i] = valid tokens of row i (original order). */
  lengths: Int32Array;
  /** Rows still running at step t (non-increasing). */
  batchSizes: number[];
  /** Tokens per row of the padded input (its second dimension). */
  T: number;
}

/** The schedule of a [n, T] 0/1 mask, or undefined when some row is not of the form 1..1 0..0. */
export function packedSchedule(mask: ArrayLike<number>, n: number, T: number): PackedSchedule | undefined {
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let len = 0;
    while (len < T && mask[i * T + len] === 1) len++;
    for (let t = len; t < T; t++) if (mask[i * T + t] !== 0) return undefined;
    lengths[i] = len;
  }
  const order = Int32Array.from(lengths.keys()).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const longest = n > 0 ? lengths[order[0]] : 0;
  const batchSizes: number[] = [];
  for (let t = 0, r = n; t < longest; t++) {
    while (r > 0 && lengths[order[r - 1]] <= t) r--;
    batchSizes.push(r);
  }
  return { order, lengths, batchSizes, T };
}

/**
 * Flat indices into the [n * T] token rows, time-major in schedule order:
 * step t lists its running rows' token t (or, reversed, token length - 1 - t).
 */
export function packedTokenIndex(s: PackedSchedule, reverse: boolean): Int32Array {
  const total = s.batchSizes.reduce((a, b) => a + b, 0);
  const out = new Int32Array(total);
  let k = 0;
  s.batchSizes.forEach((size, t) => {
    for (let r = 0; r < size; r++) {
      const row = s.order[r];
      out[k++] = row * s.T + (reverse ? s.lengths[row] - 1 - t : t);
    }
  });
  return out;
}

/** position[row] = where the row sits in schedule order (to put rows back). */
export function inverseOrder(order: Int32Array): Int32Array {
  const position = new Int32Array(order.length);
  order.forEach((row, r) => (position[row] = r));
  return position;
}
