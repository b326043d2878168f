import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { LmrecError } from '@lmrec/core';
import { decodeUtf8Strict } from './text.js';

export type NumericKind = 'int' | 'dec';

/**
 * Parses one all-numeric record in bytes [start, end) (see parseNumericFields
 * for the rules). Returns -1 when well formed, else the bad field's index
 * (`kinds.length` for too many fields).
 */
export function parseNumericBytes(buf: Uint8Array, start: number, end: number, sep: Uint8Array, kinds: readonly NumericKind[], out: Float64Array): number {
  let pos = start;
  const sep0 = sep[0];
  for (let f = 0; f < kinds.length; f++) {
    let value = 0;
    let digits = 0;
    let scale = 0;
    const dec = kinds[f] === 'dec';
    const first = pos;
    for (; pos < end; pos++) {
      const c = buf[pos];
      if (c >= 48 && c <= 57) {
        value = value * 10 + (c - 48);
        digits++;
        if (scale > 0) scale *= 10;
      } else if (c === 46 && dec && scale === 0 && digits > 0) {
        scale = 1;
      } else break;
    }
    if (digits === 0 || scale === 1 || digits > 15) return f;
    if (buf[first] === 48 && pos > first + 1 && buf[first + 1] !== 46) return f;
    out[f] = scale > 1 ? value / scale : value;
    if (f === kinds.length - 1) return pos === end ? -1 : f + (buf[pos] === sep0 ? 1 : 0);
    if (pos >= end || buf[pos] !== sep0) return f;
    for (let s = 1; s < sep.length; s++) if (buf[pos + s] !== sep[s]) return f;
    pos += sep.length;
  }
  return -1;
}

export interface ScanHandlers {
  /** Called for line 1 when `header` is set, with its text. */
  header?(text: string): void;
  /** A well-formed record: `values` is reused between calls. */
  record(values: Float64Array, line: number): void;
  /** A malformed line: must throw. */
  bad(field: number, text: string, line: number): never;
}

/**
 * Streams an all-numeric delimited file (ratings) straight from bytes: no
 * string or object per line, numbers parsed by hand. Same contract as
 * core's readLines for what matters here: a trailing CR is ignored, gzip is
 * decompressed, a non-ASCII byte (never valid in these files) is an
 * E_ENCODING error with the line, and blank lines are errors. Returns the
 * number of lines and whether the file ended with a newline.
 */
export async function scanNumericFile(
  file: string,
  options: { sep: string; kinds: readonly NumericKind[]; header: boolean },
  handlers: ScanHandlers,
): Promise<{ lines: number; endsWithNewline: boolean }> {
  const sep = Buffer.from(options.sep, 'latin1');
  const out = new Float64Array(options.kinds.length);
  let stream: NodeJS.ReadableStream = createReadStream(file, { highWaterMark: 1 << 20 });
  if (file.endsWith('.gz')) stream = stream.pipe(createGunzip());
  let carry: Buffer | undefined;
  let line = 0;
  let lastByte = 10;
  const handle = (buf: Uint8Array, start: number, end: number) => {
    line++;
    if (end > start && buf[end - 1] === 13) end--;
    if (line === 1 && options.header) {
      handlers.header?.(decodeUtf8Strict(buf.subarray(start, end), file));
      return;
    }
    for (let p = start; p < end; p++) {
      if (buf[p] >= 0x80) {
        throw new LmrecError('E_ENCODING', 'non-ASCII byte in a numeric record', { file, line, hint: 'the file is damaged or not this format' });
      }
    }
    if (end === start) handlers.bad(-1, '', line);
    const bad = parseNumericBytes(buf, start, end, sep, options.kinds, out);
    if (bad >= 0) handlers.bad(bad, Buffer.from(buf.subarray(start, end)).toString('latin1'), line);
    handlers.record(out, line);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (chunk.length === 0) continue;
      let start = 0;
      let nl = chunk.indexOf(10);
      if (carry && nl >= 0) {
        const joined = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = undefined;
        handle(joined, 0, joined.length);
        start = nl + 1;
        nl = chunk.indexOf(10, start);
      }
      if (carry) {
        carry = Buffer.concat([carry, chunk]);
      } else {
        while (nl >= 0) {
          handle(chunk, start, nl);
          start = nl + 1;
          nl = chunk.indexOf(10, start);
        }
        if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
      }
      lastByte = chunk[chunk.length - 1];
    }
  } catch (error) {
    if (error instanceof LmrecError) throw error;
    throw new LmrecError('E_IO', `cannot read: ${(error as Error).message}`, { file, line: line || undefined, cause: error });
  }
  if (carry && carry.length > 0) handle(carry, 0, carry.length);
  return { lines: line, endsWithNewline: lastByte === 10 };
}
