import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { LmrecError, writeFileAtomic, type ProgressReporter } from '@lmrec/core';
import { extractZip } from './zip.js';
import { decodeUtf8Strict } from '../util/text.js';

export interface DownloadSpec {
  url: string;
  /** File name in the cache (default: the URL's last path segment). */
  file?: string;
  /** Expected sha256 (hex). Without it the first download's hash is recorded and enforced afterwards. */
  sha256?: string;
  /** Expected size in bytes, when known. */
  size?: number;
}

/**
 * Public MovieLens archives (GroupLens). Checksums are not pinned here:
 * GroupLens publishes md5 files only, and none could be verified from this
 * machine, so the cache records the sha256 of the first download
 * (`<file>.sha256`) and refuses any later file that differs.
 */
export const KNOWN_DATASETS: Record<string, DownloadSpec & { folder: string }> = {
  'ml-100k': { url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip', folder: 'ml-100k' },
  'ml-1m': { url: 'https://files.grouplens.org/datasets/movielens/ml-1m.zip', folder: 'ml-1m' },
  'ml-10m': { url: 'https://files.grouplens.org/datasets/movielens/ml-10m.zip', folder: 'ml-10M100K' },
  'ml-20m': { url: 'https://files.grouplens.org/datasets/movielens/ml-20m.zip', folder: 'ml-20m' },
  'ml-25m': { url: 'https://files.grouplens.org/datasets/movielens/ml-25m.zip', folder: 'ml-25m' },
  'ml-32m': { url: 'https://files.grouplens.org/datasets/movielens/ml-32m.zip', folder: 'ml-32m' },
  'ml-latest-small': { url: 'https://files.grouplens.org/datasets/movielens/ml-latest-small.zip', folder: 'ml-latest-small' },
};

export interface DownloadCacheOptions {
  /** Cache folder (e.g. `.lmrec-cache/datasets`). */
  dir: string;
  /** Set false to fail instead of touching the network (offline runs, CI). */
  allowNetwork?: boolean;
  progress?: ProgressReporter;
  /** Replaceable for tests and proxies; defaults to global fetch. */
  fetch?: typeof fetch;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function statSize(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).size;
  } catch {
    return undefined;
  }
}

/**
 * Fetches each public file once into a cache folder. Downloads go to
 * `<file>.partial` (resumed with an HTTP Range request when the server
 * allows it), are checked against the expected size and sha256, and only
 * then renamed to `<file>`: a failed, truncated or corrupted download never
 * becomes a cache entry.
 */
export class DownloadCache {
  readonly dir: string;
  private readonly allowNetwork: boolean;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: DownloadCacheOptions) {
    this.dir = options.dir;
    this.allowNetwork = options.allowNetwork ?? true;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** Path of the verified cached file, downloading it first if needed. */
  async file(spec: DownloadSpec): Promise<string> {
    const name = spec.file ?? basename(new URL(spec.url).pathname);
    const path = join(this.dir, name);
    const recordPath = `${path}.sha256`;
    const recordBytes = await fs.readFile(recordPath).catch(() => undefined);
    const recorded = recordBytes && decodeUtf8Strict(recordBytes, recordPath).trim();
    const expected = spec.sha256?.toLowerCase() ?? recorded;
    if ((await statSize(path)) !== undefined) {
      const actual = await sha256File(path);
      if (!expected || actual === expected) {
        if (!expected) await writeFileAtomic(recordPath, `${actual}\n`);
        return path;
      }
      // A cache entry that no longer matches is removed, never used.
      await fs.rm(path, { force: true });
    }
    if (!this.allowNetwork) {
      throw new LmrecError('E_OFFLINE', `${name} is not in the cache and the network is disabled`, { file: path, hint: `download ${spec.url} to ${path}` });
    }
    await fs.mkdir(this.dir, { recursive: true });
    const partial = `${path}.partial`;
    await this.download(spec.url, partial);
    const size = (await statSize(partial))!;
    if (spec.size !== undefined && size !== spec.size) {
      await fs.rm(partial, { force: true });
      throw new LmrecError('E_CHECKSUM', `downloaded ${size} bytes, expected ${spec.size}`, { file: path });
    }
    const actual = await sha256File(partial);
    if (expected && actual !== expected) {
      await fs.rm(partial, { force: true });
      throw new LmrecError('E_CHECKSUM', `sha256 ${actual} differs from the expected ${expected}`, { file: path, hint: 'the server sent different bytes; the partial file was removed' });
    }
    await fs.rename(partial, path);
    if (!expected) await writeFileAtomic(recordPath, `${actual}\n`);
    return path;
  }

  private async download(url: string, partial: string): Promise<void> {
    const have = (await statSize(partial)) ?? 0;
    const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
    let response: Response;
    try {
      response = await this.fetchFn(url, { headers });
    } catch (error) {
      throw new LmrecError('E_NETWORK', `cannot fetch ${url}: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 416 && have > 0) {
      // Range not satisfiable: the partial file may already be complete.
      await response.body?.cancel();
      return;
    }
    if (!response.ok || !response.body) throw new LmrecError('E_NETWORK', `GET ${url} answered ${response.status}`);
    const resumed = response.status === 206 && have > 0;
    const length = Number(response.headers.get('content-length') ?? NaN);
    const handle = await fs.open(partial, resumed ? 'a' : 'w');
    const task = this.options.progress?.start(`download ${basename(partial, '.partial')}`, Number.isFinite(length) ? length : undefined, 'bytes');
    let received = 0;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        received += chunk.length;
        task?.tick(chunk.length);
      }
    } catch (error) {
      throw new LmrecError('E_NETWORK', `download of ${url} broke off after ${received} bytes: ${(error as Error).message}`, {
        cause: error,
        hint: 'run again to resume from the partial file',
      });
    } finally {
      await handle.sync().catch(() => undefined);
      await handle.close();
      task?.end();
    }
    if (Number.isFinite(length) && received !== length) {
      throw new LmrecError('E_NETWORK', `download of ${url} ended after ${received} of ${length} bytes`, { hint: 'run again to resume from the partial file' });
    }
  }

  /**
   * A known dataset (see KNOWN_DATASETS) downloaded and extracted once:
   * returns the folder to pass to loadMovieLens.
   */
  async dataset(name: keyof typeof KNOWN_DATASETS | string, override?: Partial<DownloadSpec>): Promise<string> {
    const known = KNOWN_DATASETS[name];
    if (!known && !override?.url) {
      throw new LmrecError('E_ARGUMENT', `unknown dataset "${name}"`, { field: 'name', hint: `known: ${Object.keys(KNOWN_DATASETS).join(', ')}` });
    }
    const spec = { ...known, ...override } as DownloadSpec & { folder?: string };
    const extracted = join(this.dir, `${name}.extracted`);
    const folder = join(extracted, spec.folder ?? name);
    if ((await statSize(join(extracted, '.complete'))) !== undefined) return folder;
    const zip = await this.file(spec);
    await extractZip(zip, extracted);
    await writeFileAtomic(join(extracted, '.complete'), `${await sha256File(zip)}\n`);
    return folder;
  }
}
