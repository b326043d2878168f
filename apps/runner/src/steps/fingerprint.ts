import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join, relative } from 'node:path';
import { LmrecError, writeJsonAtomic } from '@lmrec/core';

export interface FileDigest {
  size: number;
  sha256: string;
}

/** What a step key holds of a file or folder a loader reads: its content, not where it lives. */
export type PathFingerprint =
  | ({ kind: 'file'; name: string } & FileDigest)
  | { kind: 'folder'; name: string; files: Record<string, FileDigest> }
  | { kind: 'missing'; name: string };

interface CacheEntry extends FileDigest {
  mtimeMs: number;
}

/**
 * Content fingerprints of data files. Hashing is cached by path, size and
 * mtime (in memory and, when given, in a JSON file), so a re-run hashes only
 * files that changed.
 */
export class Fingerprints {
  private cache = new Map<string, CacheEntry>();
  private loaded = false;
  private dirty = false;

  constructor(private readonly cacheFile?: string) {}

  async of(path: string): Promise<PathFingerprint> {
    await this.load();
    const stat = await fs.stat(path).catch(() => undefined);
    if (!stat) return { kind: 'missing', name: basename(path) };
    if (stat.isFile()) return { kind: 'file', name: basename(path), ...(await this.digest(path, stat)) };
    const files: Record<string, FileDigest> = {};
    for (const file of await listFiles(path)) {
      // a file another process removes between the listing and the hashing (a temporary file) is not an input
      const digest = await readable(file, path, async () => this.digest(file, await fs.stat(file)));
      if (digest) files[relative(path, file).split('\\').join('/')] = digest;
    }
    return { kind: 'folder', name: basename(path), files };
  }

  /** Writes the hash cache (when it has a file and something changed). */
  async save(): Promise<void> {
    if (!this.cacheFile || !this.dirty) return;
    await writeJsonAtomic(this.cacheFile, Object.fromEntries(this.cache));
    this.dirty = false;
  }

  private async digest(file: string, stat: { size: number; mtimeMs: number }): Promise<FileDigest> {
    const hit = this.cache.get(file);
    if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return { size: hit.size, sha256: hit.sha256 };
    const sha256 = await hashFile(file);
    this.cache.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, sha256 });
    this.dirty = true;
    return { size: stat.size, sha256 };
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.cacheFile || !existsSync(this.cacheFile)) return;
    try {
      const saved = JSON.parse(await fs.readFile(this.cacheFile, 'utf8')) as Record<string, CacheEntry>;
      this.cache = new Map(Object.entries(saved));
    } catch {
      // An unreadable cache only costs re-hashing.
    }
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Regular files under a folder, sorted; symbolic links to folders are not followed (no cycles). */
async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readable(dir, root, () => fs.readdir(dir, { withFileTypes: true }))) ?? [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, root)));
    else if (entry.isFile() || (entry.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isFile())) out.push(full);
  }
  return out;
}

/** `read()`, or undefined when the path vanished meanwhile; any other failure names the path and the input folder. */
async function readable<T>(path: string, input: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new LmrecError('E_IO', `cannot read ${path} to fingerprint the input folder ${input}: ${code ?? (error as Error).message}`, {
      file: path,
      hint: 'every file under an input folder is hashed into its steps\' keys: point the option at a folder holding only the data',
    });
  }
}
