import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { LmrecError } from '@lmrec/core';
import { decodeUtf8Strict } from '../util/text.js';
import { crc32 } from './crc32.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
  /** Unix file type and permission bits, when the archive was made on Unix. */
  unixMode?: number;
}

const fail = (file: string, message: string): never => {
  throw new LmrecError('E_ZIP', message, { file, hint: 'the archive is damaged or incomplete; delete it and download again' });
};

/** Reads the central directory (no ZIP64: every MovieLens archive is far below 4 GiB). */
export async function listZip(file: string): Promise<ZipEntry[]> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLen = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLen);
    await handle.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail(file, 'no end-of-central-directory record (not a zip, or truncated)');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset === 0xffffffff || count === 0xffff) fail(file, 'ZIP64 archives are not supported');
    if (cdOffset + cdSize > size) fail(file, 'central directory runs past the end of the file');
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cdSize || cd.readUInt32LE(p) !== 0x02014b50) fail(file, `bad central directory entry ${n}`);
      const madeBy = cd.readUInt16LE(p + 4) >> 8;
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      const compressedSize = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const externalAttributes = cd.readUInt32LE(p + 38);
      const localHeaderOffset = cd.readUInt32LE(p + 42);
      if (flags & 1) fail(file, 'encrypted entries are not supported');
      // Bit 11 marks a UTF-8 name: decoded strictly, so a damaged name is an error rather than U+FFFD.
      const name = flags & 0x800 ? decodeUtf8Strict(cd.subarray(p + 46, p + 46 + nameLen), file) : cd.toString('latin1', p + 46, p + 46 + nameLen);
      // Hosts 3 (Unix) and 19 (macOS) keep st_mode in the upper 16 bits of the external attributes.
      const unixMode = madeBy === 3 || madeBy === 19 ? externalAttributes >>> 16 : undefined;
      entries.push({ name, method, compressedSize, size: uncompressed, crc, localHeaderOffset, ...(unixMode ? { unixMode } : {}) });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/**
 * The entry's path inside `root`, or an E_ZIP error: no absolute paths
 * (POSIX, drive letters, UNC), no ".." segment, backslashes taken as the
 * separators Windows tools write, no NUL, and nothing but regular files and
 * folders (a symbolic link could point the next entry outside `root`).
 */
export function entryTarget(file: string, root: string, entry: Pick<ZipEntry, 'name' | 'unixMode'>): string {
  const name = entry.name;
  const parts = name.replace(/\\/g, '/').split('/');
  if (name.includes('\0') || /^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name) || parts.includes('..')) {
    fail(file, `unsafe entry name "${name}": it would be written outside the target folder`);
  }
  const type = entry.unixMode === undefined ? 0 : entry.unixMode & S_IFMT;
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
    fail(file, `entry "${name}" is ${type === 0o120000 ? 'a symbolic link' : 'not a regular file or folder'}; only files and folders are extracted`);
  }
  const base = resolve(root);
  const clean = parts.filter((p) => p !== '' && p !== '.');
  if (clean.length === 0) return isFolder(entry) ? base : fail(file, `entry "${name}" has an empty name`);
  const target = resolve(base, clean.join(sep));
  if (!target.startsWith(base + sep)) fail(file, `unsafe entry name "${name}": it would be written outside the target folder`);
  return target;
}

function isFolder(entry: Pick<ZipEntry, 'name' | 'unixMode'>): boolean {
  return entry.name.endsWith('/') || (entry.unixMode !== undefined && (entry.unixMode & S_IFMT) === S_IFDIR);
}

/**
 * Extracts a zip (stored or deflated entries) into `dest`, streaming each
 * entry through inflateRaw with its CRC-32 and size checked. Everything is
 * written into a temporary sibling folder renamed to `dest` at the end, so
 * a failed extraction never leaves a half-filled `dest`. No entry is written
 * outside that folder (see `entryTarget`: zip-slip names and symbolic links
 * are refused) and no existing file is followed or overwritten.
 */
export async function extractZip(file: string, dest: string): Promise<string[]> {
  const entries = await listZip(file);
  const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  const names: string[] = [];
  try {
    const handle = await fs.open(file, 'r');
    const header = Buffer.alloc(30);
    try {
      for (const entry of entries) {
        const target = entryTarget(file, tmp, entry);
        const name = target.slice(resolve(tmp).length + 1).split(sep).join('/');
        if (isFolder(entry)) {
          await fs.mkdir(target, { recursive: true });
          continue;
        }
        await handle.read(header, 0, 30, entry.localHeaderOffset);
        if (header.readUInt32LE(0) !== 0x04034b50) fail(file, `bad local header for "${entry.name}"`);
        const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
        if (entry.method !== 0 && entry.method !== 8) fail(file, `"${entry.name}" uses compression method ${entry.method} (only stored/deflate)`);
        await fs.mkdir(dirname(target), { recursive: true });
        let crc = 0;
        let written = 0;
        const check = new Transform({
          transform(chunk: Buffer, _enc, done) {
            crc = crc32(chunk, crc);
            written += chunk.length;
            done(null, chunk);
          },
        });
        const source = entry.compressedSize === 0 ? [] : createReadStream(file, { start, end: start + entry.compressedSize - 1 });
        try {
          // 'wx': never follow or overwrite what is already there (a repeated entry is an error)
          if (entry.method === 8) await pipeline(source, createInflateRaw(), check, createWriteStream(target, { flags: 'wx' }));
          else await pipeline(source, check, createWriteStream(target, { flags: 'wx' }));
        } catch (error) {
          if (error instanceof LmrecError) throw error;
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') fail(file, `entry "${entry.name}" appears twice`);
          fail(file, `cannot inflate "${entry.name}": ${(error as Error).message}`);
        }
        if (written !== entry.size || crc !== entry.crc) fail(file, `"${entry.name}" fails its CRC-32/size check`);
        names.push(name);
      }
    } finally {
      await handle.close();
    }
    await fs.rm(dest, { recursive: true, force: true });
    await fs.rename(tmp, dest);
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return names;
}
