import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname, join, normalize, isAbsolute, sep } from 'node:path';
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
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      const compressedSize = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localHeaderOffset = cd.readUInt32LE(p + 42);
      if (flags & 1) fail(file, 'encrypted entries are not supported');
      // Bit 11 marks a UTF-8 name: decoded strictly, so a damaged name is an error rather than U+FFFD.
      const name = flags & 0x800 ? decodeUtf8Strict(cd.subarray(p + 46, p + 46 + nameLen), file) : cd.toString('latin1', p + 46, p + 46 + nameLen);
      entries.push({ name, method, compressedSize, size: uncompressed, crc, localHeaderOffset });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

function safeName(file: string, name: string): string {
  const clean = normalize(name);
  if (isAbsolute(clean) || clean.split(sep).includes('..') || clean.startsWith('..')) fail(file, `unsafe entry name "${name}"`);
  return clean;
}

/**
 * Extracts a zip (stored or deflated entries) into `dest`, streaming each
 * entry through inflateRaw with its CRC-32 and size checked. Everything is
 * written into a temporary sibling folder renamed to `dest` at the end, so
 * a failed extraction never leaves a half-filled `dest`.
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
        const name = safeName(file, entry.name);
        const target = join(tmp, name);
        if (entry.name.endsWith('/')) {
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
          if (entry.method === 8) await pipeline(source, createInflateRaw(), check, createWriteStream(target));
          else await pipeline(source, check, createWriteStream(target));
        } catch (error) {
          if (error instanceof LmrecError) throw error;
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
