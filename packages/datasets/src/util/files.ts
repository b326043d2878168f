import { promises as fs } from 'node:fs';
import { LmrecError } from '@lmrec/core';

/**
 * Release files of MovieLens (and most dumps) end with a newline; a last
 * line without one means the file was cut short. Gzip files are checked by
 * zlib instead (a truncated stream fails in readLines).
 */
export async function assertEndsWithNewline(file: string, lastLine: number): Promise<void> {
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
        hint: 're-download or re-extract the file',
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

export async function fileSize(path: string): Promise<number> {
  try {
    return (await fs.stat(path)).size;
  } catch {
    return 0;
  }
}
