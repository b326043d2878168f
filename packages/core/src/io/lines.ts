import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { LmrecError } from '../errors.js';

export interface ReadLinesOptions {
  /** 'utf-8' (default, invalid bytes are an error) or 'latin1' (ML-100K's u.item). */
  encoding?: 'utf-8' | 'latin1';
  /** Decompress gzip; defaults to true for paths ending in .gz. */
  gzip?: boolean;
}

export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
}

/**
 * Streams the lines of a text file (optionally gzipped) without loading it
 * whole. UTF-8 is decoded strictly: a malformed byte sequence is an
 * LmrecError naming the file and line, never a silent U+FFFD. A trailing
 * "\r" is removed; a last line without newline is still yielded.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line> {
  const gzip = options.gzip ?? path.endsWith('.gz');
  const decoder = new TextDecoder(options.encoding ?? 'utf-8', { fatal: true });
  let stream: NodeJS.ReadableStream = createReadStream(path, { highWaterMark: 1 << 20 });
  if (gzip) stream = stream.pipe(createGunzip());
  let pending: Buffer[] = [];
  let lineNo = 0;
  const decode = (bytes: Buffer): string => {
    try {
      const text = decoder.decode(bytes);
      return text.endsWith('\r') ? text.slice(0, -1) : text;
    } catch {
      throw new LmrecError('E_ENCODING', `invalid ${options.encoding ?? 'UTF-8'} bytes`, {
        file: path,
        line: lineNo,
        hint: 'convert the file to UTF-8, or pass encoding: "latin1" if that is its encoding',
      });
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        const piece = chunk.subarray(start, nl);
        const bytes = pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        lineNo++;
        yield { text: decode(bytes), line: lineNo };
        start = nl + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (error) {
    if (error instanceof LmrecError) throw error;
    throw new LmrecError('E_IO', `cannot read: ${(error as Error).message}`, { file: path, line: lineNo || undefined, cause: error });
  }
  if (pending.length) {
    lineNo++;
    yield { text: decode(Buffer.concat(pending)), line: lineNo };
  }
}

/**
 * Streams a JSON-lines file: one parsed value per non-blank line. A line that
 * is not valid JSON is an LmrecError with file and line.
 */
export async function* readJsonLines<T = unknown>(path: string, options: ReadLinesOptions = {}): AsyncGenerator<{ value: T; line: number }> {
  for await (const { text, line } of readLines(path, options)) {
    if (text.trim() === '') continue;
    let value: T;
    try {
      value = JSON.parse(text) as T;
    } catch (error) {
      throw new LmrecError('E_PARSE', `not valid JSON: ${(error as Error).message}`, { file: path, line });
    }
    yield { value, line };
  }
}
