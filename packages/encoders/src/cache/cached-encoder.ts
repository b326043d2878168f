import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, processAlive, silentProgress, writeFileAtomic, writeJsonAtomic, type EncodeOptions, type TextEncoder } from '@lmrec/core';
import { decodeChunk, encodeChunk, HEADER_BYTES, KEY_BYTES, readChunkHeader } from './chunk-file.js';

export interface CachedEncoderOptions {
  /** Cache root; each encoder id gets its own folder below it. */
  dir: string;
  /** Texts encoded and written per chunk file: the most work a kill can lose. Default 1024. */
  chunkSize?: number;
}

export interface CacheStats {
  /** Texts served from disk in the last encode. */
  hits: number;
  /** Distinct texts sent to the wrapped encoder in the last encode. */
  encoded: number;
  /** Chunk files rejected (bad checksum, size or magic) and removed. */
  corruptChunks: number;
}

interface Location {
  file: string;
  row: number;
}

/**
 * Wraps any TextEncoder with a content-addressed disk cache: key =
 * sha256(encoder id, text). Missing texts are encoded `chunkSize` at a time
 * and each chunk is written atomically (core `writeFileAtomic`) with a
 * checksum, so a process killed at any moment loses at most the chunk in
 * progress, a rerun re-encodes only what is missing, and a damaged chunk is
 * detected, dropped and re-encoded instead of being read.
 */
export class CachedEncoder implements TextEncoder {
  readonly chunkSize: number;
  lastStats: CacheStats = { hits: 0, encoded: 0, corruptChunks: 0 };
  private index: Map<string, Location> | undefined;
  private indexFolder: string | undefined;

  constructor(
    readonly inner: TextEncoder,
    readonly options: CachedEncoderOptions,
  ) {
    this.chunkSize = options.chunkSize ?? 1024;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) {
      throw new LmrecError('E_ARGUMENT', `chunkSize must be a positive integer, got ${options.chunkSize}`, { field: 'chunkSize' });
    }
  }

  /** Folder of the current encoder id (fitting an encoder changes its id, hence its folder). */
  get folder(): string {
    return join(this.options.dir, sha256Hex(this.inner.id).slice(0, 24));
  }

  get id(): string {
    return this.inner.id;
  }

  get dim(): number {
    return this.inner.dim;
  }

  fit(corpus: readonly string[]): Promise<void> | void {
    return this.inner.fit?.(corpus);
  }

  /** Cache key of a text under the current encoder id (hex sha256). */
  key(text: string): string {
    return sha256Hex(`${this.inner.id}\0${text}`);
  }

  async encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    const stats: CacheStats = { hits: 0, encoded: 0, corruptChunks: 0 };
    this.lastStats = stats;
    if (texts.length === 0) return [];
    const index = await this.loadIndex();
    const keys = texts.map((t) => this.key(t));
    const out = new Array<Float32Array>(texts.length);
    const task = (options?.progress ?? silentProgress).start('cached encode', texts.length, 'texts');
    try {
      // 1. Serve what is on disk, reading each needed chunk once and verifying it.
      const positionsByFile = new Map<string, number[]>();
      keys.forEach((k, i) => {
        const loc = index.get(k);
        if (loc) (positionsByFile.get(loc.file) ?? positionsByFile.set(loc.file, []).get(loc.file)!).push(i);
      });
      for (const [file, positions] of positionsByFile) {
        signal?.throwIfAborted();
        const rows = await this.readChunk(file, stats);
        if (!rows) continue;
        for (const i of positions) {
          const row = rows.get(keys[i]);
          if (row) out[i] = row;
        }
      }
      stats.hits = out.reduce((n, row) => n + (row ? 1 : 0), 0);
      task.tick(stats.hits);
      task.set({ cached: stats.hits });

      // 2. Encode the rest, distinct texts only, chunk by chunk.
      const pendingByKey = new Map<string, number[]>();
      keys.forEach((k, i) => {
        if (!out[i]) (pendingByKey.get(k) ?? pendingByKey.set(k, []).get(k)!).push(i);
      });
      const pending = [...pendingByKey.keys()];
      const started = performance.now();
      for (let start = 0; start < pending.length; start += this.chunkSize) {
        signal?.throwIfAborted();
        const chunkKeys = pending.slice(start, start + this.chunkSize);
        const chunkTexts = chunkKeys.map((k) => texts[pendingByKey.get(k)![0]]);
        const rows = await this.inner.encode(chunkTexts, { batchSize: options?.batchSize, signal });
        if (rows.length !== chunkTexts.length || rows.some((r) => r.length !== this.inner.dim)) {
          throw new LmrecError('E_ENCODER', `${this.inner.id} returned ${rows.length} rows for ${chunkTexts.length} texts (or rows of the wrong size)`);
        }
        await this.writeChunk(chunkKeys, rows);
        let ticked = 0;
        chunkKeys.forEach((k, c) => {
          for (const i of pendingByKey.get(k)!) {
            out[i] = i === pendingByKey.get(k)![0] ? rows[c] : rows[c].slice();
            ticked++;
          }
        });
        stats.encoded += chunkKeys.length;
        task.tick(ticked);
        const elapsed = (performance.now() - started) / 1000;
        const rate = elapsed > 0 ? stats.encoded / elapsed : 0;
        task.set({ cached: stats.hits, encoded: stats.encoded, 'texts/s': Math.round(rate), eta_s: rate > 0 ? Math.round((pending.length - stats.encoded) / rate) : '?' });
      }
    } finally {
      task.end();
    }
    return out;
  }

  /** Removes this encoder's cache folder. */
  async clear(): Promise<void> {
    await fs.rm(this.folder, { recursive: true, force: true });
    this.index = undefined;
    this.indexFolder = undefined;
  }

  private async loadIndex(): Promise<Map<string, Location>> {
    const folder = this.folder;
    if (this.index && this.indexFolder === folder) return this.index;
    const index = new Map<string, Location>();
    await fs.mkdir(folder, { recursive: true });
    await writeJsonAtomic(join(folder, 'encoder.json'), { id: this.inner.id, dim: this.inner.dim, format: 'lmrec-embedding-cache/1' });
    for (const name of await fs.readdir(folder)) {
      if (name.startsWith('.') && name.includes('.tmp-')) {
        await removeStaleTemp(join(folder, name), name);
        continue;
      }
      if (!name.endsWith('.chunk')) continue;
      const file = join(folder, name);
      const keys = await readKeys(file, this.inner.dim);
      if (!keys) {
        await fs.rm(file, { force: true });
        continue;
      }
      keys.forEach((k, row) => index.set(k, { file, row }));
    }
    this.index = index;
    this.indexFolder = folder;
    return index;
  }

  private async readChunk(file: string, stats: CacheStats): Promise<Map<string, Float32Array> | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch {
      this.forget(file);
      return undefined;
    }
    try {
      const { keys, rows, dim } = decodeChunk(bytes, file);
      if (dim !== this.inner.dim) throw new LmrecError('E_CACHE_CORRUPT', `chunk dim ${dim}, encoder dim ${this.inner.dim}`, { file });
      const map = new Map<string, Float32Array>();
      keys.forEach((k, i) => map.set(Buffer.from(k).toString('hex'), rows[i]));
      return map;
    } catch (error) {
      if (!(error instanceof LmrecError) || error.code !== 'E_CACHE_CORRUPT') throw error;
      stats.corruptChunks++;
      this.forget(file);
      await fs.rm(file, { force: true });
      return undefined;
    }
  }

  private forget(file: string): void {
    if (!this.index) return;
    for (const [k, loc] of this.index) if (loc.file === file) this.index.delete(k);
  }

  private async writeChunk(keys: readonly string[], rows: readonly Float32Array[]): Promise<void> {
    const bytes = encodeChunk(
      keys.map((k) => Buffer.from(k, 'hex')),
      rows,
      this.inner.dim,
    );
    // Content-addressed name: two processes writing the same chunk write the same bytes.
    const name = `${sha256Hex(keys.join(''))}.chunk`;
    const file = join(this.indexFolder!, name);
    await writeFileAtomic(file, bytes);
    keys.forEach((k, row) => this.index!.set(k, { file, row }));
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Keys of a chunk from its header and key block (the checksum is verified when rows are read). */
async function readKeys(file: string, dim: number): Promise<string[] | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const head = new Uint8Array(HEADER_BYTES);
    await handle.read(head, 0, HEADER_BYTES, 0);
    const header = readChunkHeader(head);
    if (!header || header.dim !== dim) return undefined;
    const { size } = await handle.stat();
    if (size !== HEADER_BYTES + header.count * (KEY_BYTES + dim * 4) + 32) return undefined;
    const block = new Uint8Array(header.count * KEY_BYTES);
    await handle.read(block, 0, block.length, HEADER_BYTES);
    const keys: string[] = [];
    for (let i = 0; i < header.count; i++) keys.push(Buffer.from(block.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES)).toString('hex'));
    return keys;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** Deletes a `.name.tmp-<pid>-<rand>` file left by a writer that is no longer running. */
async function removeStaleTemp(path: string, name: string): Promise<void> {
  const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
  if (pid && pid !== process.pid && processAlive(pid)) return;
  if (pid === process.pid) return;
  await fs.rm(path, { force: true });
}
