import { promises as fs } from 'node:fs';
import { LmrecError } from '@lmrec/core';

/**
 * Release files of MovieLens (and most dumps) end with a newline; a last
 * line without one means the file was cut short. Gzip files are checked by
 * zlib instead (a truncated stream fails in readLines).
 */
export async function assertEndsWithNewline(file: string, lastLine: number, hint = 're-download or re-extract the file'): Promise<void> {
  if (file.endsWith('.gz')) return;
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const buf = Buffer.alloc(1);
    await handle.read(buf, 0, 1, size - 1);
    if (buf[0] !== 10) {
      throw new LmrecError('E_TRUNCATED', 'the last line has no newline: the file looks cut short', {
        file,
        line: lastLine,
        hint,
      });
    }
  } finally {
    await handle.close();
  }
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Expected line count of a plain-text file from the line lengths of its
 * first MiB (0 for gzip or empty files): sizes the typed arrays up front
 * so a 20M-line file is not copied through repeated doubling.
 */
export async function estimateLines(path: string): Promise<number> {
  if (path.endsWith('.gz')) return 0;
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (buf[i] === 10) lines++;
    if (lines === 0) return 0;
    return Math.ceil((size / bytesRead) * lines * 1.03);
  } finally {
    await handle.close();
  }
}
