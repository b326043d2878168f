import { murmur3 } from './murmur3.js';
import { lexicalTokens } from './tokenize.js';

const utf8 = new TextEncoder();
const W = 0x77; // 'w'
const C = 0x63; // 'c'
const COLON = 0x3a;
const SPACE = 0x20;
let scratch = new Uint8Array(1024);

function ensure(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Calls `emit(murmur3_32(utf8(feature), seed))` for every feature string
 * `lexicalFeatures(text, ...)` would return, in the same order, without
 * building the strings: the hot path of the lexical encoder. Equivalence
 * with the string form is what the tests check.
 */
export function forEachFeatureHash(text: string, wordNgrams: readonly [number, number], charNgrams: readonly [number, number], seed: number, emit: (hash: number) => void): void {
  const tokens = lexicalTokens(text);
  if (tokens.length === 0) return;
  const bytes = tokens.map((t) => utf8.encode(t));
  const [wMin, wMax] = wordNgrams;
  if (wMin > 0) {
    for (let n = wMin; n <= wMax; n++) {
      for (let i = 0; i + n <= tokens.length; i++) {
        let len = 2 + n - 1;
        for (let k = i; k < i + n; k++) len += bytes[k].length;
        const buf = ensure(len);
        buf[0] = W;
        buf[1] = COLON;
        let p = 2;
        for (let k = i; k < i + n; k++) {
          if (k > i) buf[p++] = SPACE;
          buf.set(bytes[k], p);
          p += bytes[k].length;
        }
        emit(murmur3(buf, p, seed));
      }
    }
  }
  const [cMin, cMax] = charNgrams;
  if (cMin > 0) {
    for (let t = 0; t < tokens.length; t++) {
      // Padded token " tok " as UTF-8 after the "c:" prefix, with the byte offset of each code point.
      const tb = bytes[t];
      const padded = ensure(tb.length + 4 + 2);
      const base = 2;
      padded[base] = SPACE;
      padded.set(tb, base + 1);
      padded[base + 1 + tb.length] = SPACE;
      const offsets: number[] = [0, 1];
      for (let b = 1; b < tb.length; b++) {
        // A code point starts at every byte that is not a UTF-8 continuation byte (10xxxxxx).
        if ((tb[b] & 0xc0) !== 0x80) offsets.push(1 + b);
      }
      offsets.push(1 + tb.length);
      offsets.push(2 + tb.length);
      const cps = offsets.length - 1;
      const end = base + 2 + tb.length;
      for (let n = cMin; n <= cMax; n++) {
        if (cps < n) {
          if (n === cMin) emitSlice(padded, base, end, C, seed, emit);
          break;
        }
        for (let i = 0; i + n <= cps; i++) emitSlice(padded, base + offsets[i], base + offsets[i + n], C, seed, emit);
      }
    }
  }
}

/** Hashes "<kind>:" + buf[start, end) by writing the prefix just before the slice, restoring the bytes after. */
function emitSlice(buf: Uint8Array, start: number, end: number, kind: number, seed: number, emit: (hash: number) => void): void {
  const a = buf[start - 2];
  const b = buf[start - 1];
  buf[start - 2] = kind;
  buf[start - 1] = COLON;
  const h = murmur3(buf, end - start + 2, seed, start - 2);
  buf[start - 2] = a;
  buf[start - 1] = b;
  emit(h);
}
