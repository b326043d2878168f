import { promises as fs } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { LmrecError } from '@lmrec/core';
import { GloveVectors } from './vectors.js';

/** Bumped whenever the cache layout or the conversion changes (old folders are then ignored). */
export const GLOVE_CACHE_FORMAT = 1;
export const MANIFEST = 'manifest.json';
export const VECTORS = 'vectors.safetensors';
export const VOCAB = 'vocab.txt';

export interface GloveManifest {
  format: 'lmrec-glove-cache';
  version: number;
  source: { key: string; file: string; size: number };
  size: number;
  dim: number;
  files: Record<typeof VECTORS | typeof VOCAB, { bytes: number; crc32: number }>;
}

/** The cache stores float32 little-endian and is read straight into a Float32Array. */
export function checkLittleEndian(): void {
  if (endianness() !== 'LE') throw new LmrecError('E_PLATFORM', 'the GloVe cache needs a little-endian machine');
}

/** safetensors header (8-byte length + JSON padded to a multiple of 8) for one F32 [size, dim] tensor. */
export function vectorsHeader(size: number, dim: number, key: string): Uint8Array {
  const header = {
    __metadata__: { format: 'lmrec-glove', version: String(GLOVE_CACHE_FORMAT), source: key },
    vectors: { dtype: 'F32', shape: [size, dim], data_offsets: [0, size * dim * 4] },
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const body = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
  out.set(body, 8);
  return out;
}

async function readExactly(handle: fs.FileHandle, target: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/**
 * Reads a finished cache folder, checking sizes, header and crc32 of both
 * files (~30 ms for 137 MB) so a damaged file is an error, never wrong
 * vectors. Returns undefined when the folder has no manifest.
 */
export async function readGloveCache(folder: string, hint: string): Promise<GloveVectors | undefined> {
  const manifestPath = join(folder, MANIFEST);
  let raw: string;
  try {
    raw = await fs.readFile(manifestPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LmrecError('E_GLOVE_CACHE', `cannot read the GloVe cache manifest: ${(error as Error).message}`, { file: manifestPath, hint, cause: error });
  }
  const fail = (file: string, message: string): never => {
    throw new LmrecError('E_GLOVE_CACHE', `GloVe cache file is damaged: ${message}`, { file: join(folder, file), hint });
  };
  let manifest: GloveManifest;
  try {
    manifest = JSON.parse(raw);
  } catch (error) {
    return fail(MANIFEST, `not valid JSON (${(error as Error).message})`);
  }
  if (manifest?.format !== 'lmrec-glove-cache' || manifest.version !== GLOVE_CACHE_FORMAT || !Number.isInteger(manifest.size) || !Number.isInteger(manifest.dim)) {
    fail(MANIFEST, `not a version-${GLOVE_CACHE_FORMAT} lmrec GloVe cache manifest`);
  }
  checkLittleEndian();
  const words = await readVocab(folder, manifest, fail);
  const vectors = await readVectors(folder, manifest, fail);
  return new GloveVectors(manifest.source.key, words, manifest.dim, vectors);
}

type Fail = (file: string, message: string) => never;

async function readVocab(folder: string, manifest: GloveManifest, fail: Fail): Promise<string[]> {
  const bytes = await fs.readFile(join(folder, VOCAB)).catch((error: Error) => fail(VOCAB, error.message));
  const expected = manifest.files?.[VOCAB];
  if (bytes.length !== expected?.bytes) fail(VOCAB, `${bytes.length} bytes, the manifest says ${expected?.bytes}`);
  if (crc32(bytes) !== expected.crc32) fail(VOCAB, 'crc32 does not match the manifest');
  const words = bytes.toString('utf8').split('\n');
  words.pop(); // the file ends with a newline
  if (words.length !== manifest.size) fail(VOCAB, `${words.length} words, the manifest says ${manifest.size}`);
  return words;
}

async function readVectors(folder: string, manifest: GloveManifest, fail: Fail): Promise<Float32Array> {
  const { size, dim } = manifest;
  const header = vectorsHeader(size, dim, manifest.source.key);
  const expected = manifest.files?.[VECTORS];
  if (expected?.bytes !== header.length + size * dim * 4) fail(MANIFEST, `vectors file size ${expected?.bytes} does not fit [${size}, ${dim}] float32`);
  const handle = await fs.open(join(folder, VECTORS), 'r').catch((error: Error) => fail(VECTORS, error.message));
  try {
    const { size: bytes } = await handle.stat();
    if (bytes !== expected.bytes) fail(VECTORS, `${bytes} bytes, the manifest says ${expected.bytes}`);
    const head = new Uint8Array(header.length);
    await readExactly(handle, head, 0);
    if (!Buffer.from(head).equals(Buffer.from(header))) fail(VECTORS, 'unexpected safetensors header');
    const vectors = new Float32Array(size * dim);
    const body = new Uint8Array(vectors.buffer);
    if ((await readExactly(handle, body, header.length)) !== body.length) fail(VECTORS, 'shorter than its header says');
    if (crc32(body, crc32(head)) !== expected.crc32) fail(VECTORS, 'crc32 does not match the manifest');
    return vectors;
  } finally {
    await handle.close();
  }
}
