/**
 * Hand parser for all-numeric delimited lines (ratings files): no split, no
 * substrings, no Number(). Each field is an unsigned integer ('int') or an
 * unsigned decimal ('dec', e.g. 3.5) and must be non-empty. Leading zeros
 * ("05") are refused: release files never have them, and accepting them
 * would let a lost "." turn 0.5 into 5 silently.
 * Returns -1 when the line is well formed, else the 0-based index of the
 * first bad field (or `kinds.length` when there are too many fields).
 */
export function parseNumericFields(text: string, sep: string, kinds: readonly ('int' | 'dec')[], out: Float64Array): number {
  const sep0 = sep.charCodeAt(0);
  const sepLen = sep.length;
  const n = text.length;
  let pos = 0;
  for (let f = 0; f < kinds.length; f++) {
    let value = 0;
    let digits = 0;
    let scale = 0;
    const dec = kinds[f] === 'dec';
    const first = pos;
    for (; pos < n; pos++) {
      const c = text.charCodeAt(pos);
      if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        digits++;
        if (scale > 0) scale *= 10;
      } else if (c === 46 && dec && scale === 0 && digits > 0) {
        scale = 1;
      } else break;
    }
    if (digits === 0 || scale === 1 || digits > 15) return f;
    if (text.charCodeAt(first) === 48 && pos > first + 1 && text.charCodeAt(first + 1) !== 46) return f;
    out[f] = scale > 1 ? value / scale : value;
    if (f === kinds.length - 1) return pos === n ? -1 : f + (text.charCodeAt(pos) === sep0 ? 1 : 0);
    if (text.charCodeAt(pos) !== sep0) return f;
    for (let s = 1; s < sepLen; s++) if (text.charCodeAt(pos + s) !== sep.charCodeAt(s)) return f;
    pos += sepLen;
  }
  return -1;
}
