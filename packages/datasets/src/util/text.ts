import { promises as fs } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { LmrecError } from '@lmrec/core';

/**
 * Reads a whole text file (gunzipped when it ends in .gz) with strict UTF-8:
 * an invalid byte sequence is an E_ENCODING error naming the file, the line
 * and the byte offset, never a silent U+FFFD.
 */
export async function readTextStrict(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
    if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read: ${(error as Error).message}`, { file, cause: error });
  }
  return decodeUtf8Strict(bytes, file);
}

/** Strict UTF-8 decoding of bytes that came from `file` (for the error). */
export function decodeUtf8Strict(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
    throw new LmrecError('E_ENCODING', `invalid UTF-8 at byte offset ${offset}`, { file, line, hint: 'convert the file to UTF-8' });
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Binary search on prefixes would split sequences; walk the sequences instead.
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    if (len > 1) {
      try {
        decoder.decode(bytes.subarray(i, i + len));
      } catch {
        return i;
      }
    }
    i += len;
  }
  return bytes.length;
}

/** A strict-UTF-8 JSON file: unreadable, mis-encoded and malformed files are located errors. */
export async function readJsonStrict(file: string): Promise<unknown> {
  const text = await readTextStrict(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LmrecError('E_PARSE', `not valid JSON: ${(error as Error).message}`, { file, cause: error });
  }
}
