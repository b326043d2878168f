export type Pooling = 'mean' | 'cls' | 'last';

/**
 * Pools token states [b, s, h] (row-major) into b vectors using the
 * attention mask [b, s]: `mean` averages unmasked tokens, `cls` takes
 * position 0, `last` takes the last unmasked position (works for left and
 * right padding). A row with no unmasked token pools to zeros.
 */
export function poolHidden(hidden: Float32Array, mask: ArrayLike<number | bigint>, b: number, s: number, h: number, pooling: Pooling): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let r = 0; r < b; r++) {
    const out = new Float32Array(h);
    const base = r * s * h;
    if (pooling === 'cls') {
      out.set(hidden.subarray(base, base + h));
    } else if (pooling === 'last') {
      let last = -1;
      for (let t = 0; t < s; t++) if (Number(mask[r * s + t]) !== 0) last = t;
      if (last >= 0) out.set(hidden.subarray(base + last * h, base + (last + 1) * h));
    } else {
      let count = 0;
      const acc = new Float64Array(h);
      for (let t = 0; t < s; t++) {
        if (Number(mask[r * s + t]) === 0) continue;
        count++;
        const off = base + t * h;
        for (let j = 0; j < h; j++) acc[j] += hidden[off + j];
      }
      if (count > 0) for (let j = 0; j < h; j++) out[j] = acc[j] / count;
    }
    rows.push(out);
  }
  return rows;
}
