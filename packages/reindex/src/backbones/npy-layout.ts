import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { LmrecError, parseNpy, type NpyArray } from '@lmrec/core';

/**
 * The other folder layout the artifacts backbone reads: plain numpy / JSON
 * files, as in ../shared/data/redial_lexical (its PROVENANCE.md), so inputs
 * another RTA implementation ran on are used byte for byte, without a
 * conversion step. Each .npy / .jsonl may be gzip-compressed (`.gz`).
 *
 *  - `token_embeddings.npy` [rows, d] float32: row = token id.
 *  - `items.tsv` (item_id, movieId, title, ...) and `title_token_ids.json`
 *    (token ids per item id): the titles and their tokens.
 *  - `examples_{train,valid,test}.jsonl` (example_id, context, ...) with
 *    `contexts_{split}.npy` [n, d]: row i = the context vector of line i.
 *    `context` is the rendered `User: ... / System: ...` text, so its sha256
 *    is the example's context key.
 */
export interface NpyLayout {
  dim: number;
  rows: number;
  tokenEmbeddings: Float32Array;
  titles: string[];
  titleTokenIds: Int32Array;
  titleOffsets: Int32Array;
  exampleIds: string[];
  contextKeys: string[];
  contextVectors: Float32Array;
}

const SPLITS = ['train', 'valid', 'test'] as const;

/** Whether `dir` holds the npy layout (no manifest.json, a token_embeddings.npy[.gz]). */
export function isNpyLayout(dir: string): boolean {
  return !existsSync(join(dir, 'manifest.json')) && (existsSync(join(dir, 'token_embeddings.npy')) || existsSync(join(dir, 'token_embeddings.npy.gz')));
}

async function readMaybeGz(dir: string, name: string, required = true): Promise<{ bytes: Uint8Array; file: string } | undefined> {
  for (const file of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (!existsSync(file)) continue;
    const raw = await fs.readFile(file);
    return { bytes: file.endsWith('.gz') ? gunzipSync(raw) : raw, file };
  }
  if (required) throw new LmrecError('E_ARTIFACTS', `missing ${name} (or ${name}.gz)`, { file: join(dir, name) });
  return undefined;
}

function floatMatrix(a: NpyArray, file: string, dim?: number): Float32Array {
  if (a.shape.length !== 2 || (dim !== undefined && a.shape[1] !== dim)) {
    throw new LmrecError('E_ARTIFACTS', `shape [${a.shape}] is not [rows, ${dim ?? 'd'}]`, { file });
  }
  if (a.data instanceof Float32Array) return a.data;
  if (a.data instanceof Float64Array) return Float32Array.from(a.data);
  throw new LmrecError('E_ARTIFACTS', `expected float32 values, got ${a.dtype}`, { file });
}

async function readTitles(dir: string, rows: number): Promise<Pick<NpyLayout, 'titles' | 'titleTokenIds' | 'titleOffsets'>> {
  const itemsFile = join(dir, 'items.tsv');
  const lines = (await fs.readFile(itemsFile, 'utf8')).split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  const col = header.indexOf('title');
  if (col < 0) throw new LmrecError('E_ARTIFACTS', 'items.tsv has no "title" column', { file: itemsFile, line: 1 });
  const titles = lines.slice(1).map((l) => l.split('\t')[col]);
  const tokensFile = join(dir, 'title_token_ids.json');
  const lists = JSON.parse(await fs.readFile(tokensFile, 'utf8')) as unknown;
  if (!Array.isArray(lists) || lists.length !== titles.length) {
    throw new LmrecError('E_ARTIFACTS', `expected one token list per item (${titles.length})`, { file: tokensFile });
  }
  const offsets = new Int32Array(titles.length + 1);
  lists.forEach((ids: unknown, i) => {
    if (!Array.isArray(ids) || ids.some((t) => !Number.isInteger(t) || t < 0 || t >= rows)) {
      throw new LmrecError('E_ARTIFACTS', `item ${i}: token ids must be integers in [0, ${rows})`, { file: tokensFile, field: String(i) });
    }
    offsets[i + 1] = offsets[i] + ids.length;
  });
  return { titles, titleTokenIds: Int32Array.from((lists as number[][]).flat()), titleOffsets: offsets };
}

/** Reads the npy layout of `dir` (see NpyLayout). */
export async function loadNpyLayout(dir: string): Promise<NpyLayout> {
  const table = (await readMaybeGz(dir, 'token_embeddings.npy'))!;
  const emb = parseNpy(table.bytes, table.file);
  const tokenEmbeddings = floatMatrix(emb, table.file);
  const [rows, dim] = emb.shape;
  const exampleIds: string[] = [];
  const contextKeys: string[] = [];
  const vectors: Float32Array[] = [];
  for (const split of SPLITS) {
    const examples = await readMaybeGz(dir, `examples_${split}.jsonl`, false);
    if (!examples) continue;
    const ctx = (await readMaybeGz(dir, `contexts_${split}.npy`))!;
    const lines = Buffer.from(examples.bytes).toString('utf8').split('\n').filter((l) => l.length > 0);
    const matrix = parseNpy(ctx.bytes, ctx.file);
    const data = floatMatrix(matrix, ctx.file, dim);
    if (matrix.shape[0] !== lines.length) throw new LmrecError('E_ARTIFACTS', `${matrix.shape[0]} context vectors for ${lines.length} examples`, { file: ctx.file });
    lines.forEach((line, i) => {
      const e = JSON.parse(line) as { example_id?: unknown; context?: unknown };
      if (typeof e.example_id !== 'string' || typeof e.context !== 'string') {
        throw new LmrecError('E_ARTIFACTS', 'each example needs string "example_id" and "context"', { file: examples.file, line: i + 1 });
      }
      exampleIds.push(e.example_id);
      contextKeys.push(createHash('sha256').update(e.context, 'utf8').digest('hex'));
    });
    vectors.push(data);
  }
  const contextVectors = new Float32Array(vectors.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of vectors) {
    contextVectors.set(v, at);
    at += v.length;
  }
  return { dim, rows, tokenEmbeddings, ...(await readTitles(dir, rows)), exampleIds, contextKeys, contextVectors };
}
