import { createHash } from 'node:crypto';
import { LmrecError } from '@lmrec/core';

/**
 * One cache chunk on disk (little-endian):
 *   magic "LMEC" | u32 version=1 | u32 dim | u32 count
 *   count x 32-byte sha256 keys
 *   count x dim float32 rows
 *   32-byte sha256 of everything above
 * The trailing checksum lets a reader reject a damaged file (a torn write
 * cannot happen with the atomic rename, but disks and copies can corrupt).
 */
const MAGIC = 0x43454d4c; // "LMEC" read as little-endian u32
const VERSION = 1;
export const HEADER_BYTES = 16;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export const KEY_BYTES = 32;

export function encodeChunk(keys: readonly Uint8Array[], rows: readonly Float32Array[], dim: number): Uint8Array {
  const count = keys.length;
  const body = HEADER_BYTES + count * KEY_BYTES + count * dim * 4;
  const out = new Uint8Array(body + 32);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, dim, true);
  view.setUint32(12, count, true);
  keys.forEach((k, i) => out.set(k, HEADER_BYTES + i * KEY_BYTES));
  const dataStart = HEADER_BYTES + count * KEY_BYTES;
  if (LITTLE_ENDIAN) {
    const data = new Float32Array(out.buffer, dataStart, count * dim);
    rows.forEach((row, i) => data.set(row.subarray(0, dim), i * dim));
  } else {
    rows.forEach((row, i) => {
      for (let j = 0; j < dim; j++) view.setFloat32(dataStart + (i * dim + j) * 4, row[j], true);
    });
  }
  out.set(createHash('sha256').update(out.subarray(0, body)).digest(), body);
  return out;
}

export interface ChunkHeader {
  dim: number;
  count: number;
}

/** Header fields, or undefined when the bytes are not a chunk of this version. */
export function readChunkHeader(bytes: Uint8Array): ChunkHeader | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) return undefined;
  return { dim: view.getUint32(8, true), count: view.getUint32(12, true) };
}

export function chunkSize(header: ChunkHeader): number {
  return HEADER_BYTES + header.count * KEY_BYTES + header.count * header.dim * 4 + 32;
}

/** Verifies the checksum and returns keys and rows; throws E_CACHE_CORRUPT otherwise. */
export function decodeChunk(bytes: Uint8Array, file: string): { keys: Uint8Array[]; rows: Float32Array[]; dim: number } {
  const header = readChunkHeader(bytes);
  if (!header) throw new LmrecError('E_CACHE_CORRUPT', 'not an embedding-cache chunk (bad magic or version)', { file });
  const size = chunkSize(header);
  if (bytes.length !== size) throw new LmrecError('E_CACHE_CORRUPT', `chunk is ${bytes.length} bytes, its header says ${size}`, { file });
  const body = size - 32;
  const expected = createHash('sha256').update(bytes.subarray(0, body)).digest();
  if (!Buffer.from(expected).equals(Buffer.from(bytes.subarray(body, size)))) {
    throw new LmrecError('E_CACHE_CORRUPT', 'chunk checksum mismatch', { file });
  }
  const { dim, count } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const keys: Uint8Array[] = [];
  const rows: Float32Array[] = [];
  const dataStart = HEADER_BYTES + count * KEY_BYTES;
  const aligned = LITTLE_ENDIAN && (bytes.byteOffset + dataStart) % 4 === 0;
  for (let i = 0; i < count; i++) {
    keys.push(bytes.slice(HEADER_BYTES + i * KEY_BYTES, HEADER_BYTES + (i + 1) * KEY_BYTES));
    let row: Float32Array;
    if (aligned) {
      row = new Float32Array(bytes.buffer, bytes.byteOffset + dataStart + i * dim * 4, dim).slice();
    } else {
      row = new Float32Array(dim);
      for (let j = 0; j < dim; j++) row[j] = view.getFloat32(dataStart + (i * dim + j) * 4, true);
    }
    rows.push(row);
  }
  return { keys, rows, dim };
}
