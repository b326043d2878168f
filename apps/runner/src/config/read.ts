import { promises as fs } from 'node:fs';
import { LmrecError } from '@lmrec/core';

/** A text file decoded strictly as UTF-8: invalid bytes are an error naming the file and line, never U+FFFD. */
export async function readUtf8(file: string, what = 'file'): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read ${what}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { file });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const line = firstInvalidLine(bytes);
    throw new LmrecError('E_ENCODING', `the ${what} is not valid UTF-8`, { file, line, hint: 'save it as UTF-8' });
  }
}

function firstInvalidLine(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}
