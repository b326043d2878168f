/**
 * MurmurHash3 x86 32-bit (Austin Appleby, public domain) over the UTF-8 bytes
 * of a string. Chosen because it is the hash scikit-learn's HashingVectorizer
 * uses, has published test vectors, and is integer-only (identical on every
 * machine and engine).
 */
const utf8 = new TextEncoder();
let scratch = new Uint8Array(256);

/** murmur3_32 of bytes[offset, offset + length). */
export function murmur3(bytes: Uint8Array, length: number, seed: number, offset = 0): number {
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = offset + (length & ~3);
  for (let i = offset; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2] << 16;
    if (tail >= 2) k ^= bytes[blocks + 1] << 8;
    k ^= bytes[blocks];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Stable unsigned 32-bit id of a token: murmur3_32(utf8(token), seed).
 * Same value on every machine; use it to map tokens to ids without a vocabulary.
 */
export function hashToken(token: string, seed = 0): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (scratch.length < token.length * 3) scratch = new Uint8Array(token.length * 3 + 64);
  const { written } = utf8.encodeInto(token, scratch);
  return murmur3(scratch, written, seed);
}
