import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, readSafetensors, toInt32, type SafeTensor } from '@lmrec/core';
import { RTA_PROMPT } from '../prompt.js';
import { ARTIFACTS_FORMAT, MANIFEST_FILE, TENSORS_FILE, type ArtifactsManifest } from './artifacts-format.js';
import { isNpyLayout, loadNpyLayout } from './npy-layout.js';

export interface LoadedArtifacts {
  manifest: ArtifactsManifest;
  manifestFile: string;
  tensorsFile: string;
  rows: number;
  tokenEmbeddings: Float32Array;
  tokenRow?: Map<number, number>;
  titleTokenIds: Int32Array;
  titleOffsets: Int32Array;
  titleIndex: Map<string, number>;
  contextVectors: Float32Array;
  exampleRow: Map<string, number>;
  keyRow?: Map<string, number>;
}

/** The numpy layout as loaded artifacts: a manifest made from its files, token id = row. */
async function loadNpyArtifacts(dir: string): Promise<LoadedArtifacts> {
  const a = await loadNpyLayout(dir);
  const manifest: ArtifactsManifest = { format: ARTIFACTS_FORMAT, version: 1, model: `npy:${dir}`, prompt: RTA_PROMPT, dim: a.dim, titles: a.titles, example_ids: a.exampleIds, context_keys: a.contextKeys };
  const manifestFile = join(dir, 'items.tsv');
  const exampleRow = uniqueIndex(a.exampleIds, (id) => {
    throw new LmrecError('E_ARTIFACTS', `example id "${id}" appears twice`, { file: dir, field: 'example_id' });
  });
  return { manifest, manifestFile, tensorsFile: join(dir, 'token_embeddings.npy'), rows: a.rows, tokenEmbeddings: a.tokenEmbeddings, titleTokenIds: a.titleTokenIds, titleOffsets: a.titleOffsets, titleIndex: firstIndex(a.titles), contextVectors: a.contextVectors, exampleRow, keyRow: firstIndex(a.contextKeys) };
}

/** An artifacts folder (manifest.json + artifacts.safetensors, or the numpy layout), checked and indexed. */
export async function loadArtifacts(dir: string): Promise<LoadedArtifacts> {
  if (isNpyLayout(dir)) return loadNpyArtifacts(dir);
  const manifestFile = join(dir, MANIFEST_FILE);
  const tensorsFile = join(dir, TENSORS_FILE);
  const manifest = await readManifest(manifestFile);
  const st = await readSafetensors(tensorsFile);
  const t = new TensorReader(st.tensors, tensorsFile);
  const d = manifest.dim;
  const emb = t.get('token_embeddings')!;
  if (emb.shape.length !== 2 || emb.shape[1] !== d) t.fail('token_embeddings', `shape [${emb.shape}] is not [rows, ${d}]`);
  const rows = emb.shape[0];
  const tokenRow = tokenRows(t, rows);
  const { offsets, tids } = titleTokens(t, manifest.titles.length, (id) => (tokenRow ? tokenRow.has(id) : id >= 0 && id < rows));
  const ctxT = t.get('context_vectors')!;
  if (ctxT.shape.length !== 2 || ctxT.shape[1] !== d || ctxT.shape[0] !== manifest.example_ids.length) {
    t.fail('context_vectors', `shape [${ctxT.shape}] is not [${manifest.example_ids.length} example_ids, ${d}]`);
  }
  const mfail = (field: string, message: string): never => {
    throw new LmrecError('E_ARTIFACTS', message, { file: manifestFile, field });
  };
  if (manifest.context_keys && manifest.context_keys.length !== manifest.example_ids.length) {
    mfail('context_keys', `${manifest.context_keys.length} keys for ${manifest.example_ids.length} examples`);
  }
  return {
    manifest,
    manifestFile,
    tensorsFile,
    rows,
    tokenEmbeddings: t.floats(emb, 'token_embeddings'),
    tokenRow,
    titleTokenIds: tids,
    titleOffsets: offsets,
    titleIndex: firstIndex(manifest.titles),
    contextVectors: t.floats(ctxT, 'context_vectors'),
    exampleRow: uniqueIndex(manifest.example_ids, (id) => mfail('example_ids', `example id "${id}" appears twice`)),
    ...(manifest.context_keys ? { keyRow: firstIndex(manifest.context_keys) } : {}),
  };
}

async function readManifest(manifestFile: string): Promise<ArtifactsManifest> {
  let manifest: ArtifactsManifest;
  try {
    manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
  } catch (error) {
    throw new LmrecError('E_ARTIFACTS', `cannot read the manifest: ${(error as Error).message}`, {
      file: manifestFile,
      cause: error,
      hint: 'an artifacts folder holds manifest.json + artifacts.safetensors, or the numpy layout (token_embeddings.npy[.gz], items.tsv, title_token_ids.json, examples_/contexts_{split})',
    });
  }
  const mfail = (field: string, message: string): never => {
    throw new LmrecError('E_ARTIFACTS', message, { file: manifestFile, field });
  };
  if (manifest.format !== ARTIFACTS_FORMAT) mfail('format', `expected "${ARTIFACTS_FORMAT}", got ${JSON.stringify(manifest.format)}`);
  if (manifest.version !== 1) mfail('version', `unsupported version ${JSON.stringify(manifest.version)}`);
  if (!(Number.isInteger(manifest.dim) && manifest.dim > 0)) mfail('dim', `dim must be a positive integer, got ${JSON.stringify(manifest.dim)}`);
  if (!Array.isArray(manifest.titles)) mfail('titles', 'titles must be a list of strings');
  if (!Array.isArray(manifest.example_ids)) mfail('example_ids', 'example_ids must be a list of strings');
  return manifest;
}

/** The safetensors file's tensors, with errors that name the file and the tensor. */
class TensorReader {
  constructor(
    private readonly tensors: Record<string, SafeTensor>,
    private readonly file: string,
  ) {}

  get(name: string, required = true): SafeTensor | undefined {
    const t = this.tensors[name];
    if (!t && required) throw new LmrecError('E_ARTIFACTS', 'missing tensor', { file: this.file, field: name });
    return t;
  }

  fail(field: string, message: string): never {
    throw new LmrecError('E_ARTIFACTS', message, { file: this.file, field });
  }

  floats(t: SafeTensor, field: string): Float32Array {
    if (t.data instanceof Float32Array) return t.data;
    if (t.data instanceof Float64Array) return Float32Array.from(t.data);
    return this.fail(field, `expected a float tensor, got ${t.dtype}`);
  }
}

/** token id -> embedding row, from the optional `token_ids` tensor (else token id = row). */
function tokenRows(t: TensorReader, rows: number): Map<number, number> | undefined {
  const ids = t.get('token_ids', false);
  if (!ids) return undefined;
  if (ids.shape.length !== 1 || ids.shape[0] !== rows) t.fail('token_ids', `shape [${ids.shape}] does not match ${rows} embedding rows`);
  return uniqueIndex(Array.from(toInt32(ids.data, 'token_ids')), (id) => t.fail('token_ids', `token id ${id} appears twice`));
}

function titleTokens(t: TensorReader, nTitles: number, hasRow: (id: number) => boolean): { offsets: Int32Array; tids: Int32Array } {
  const offsets = toInt32(t.get('title_offsets')!.data, 'title_offsets');
  const tids = toInt32(t.get('title_token_ids')!.data, 'title_token_ids');
  if (offsets.length !== nTitles + 1) t.fail('title_offsets', `${offsets.length} offsets for ${nTitles} titles (need titles + 1)`);
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== tids.length) t.fail('title_offsets', `offsets must start at 0 and end at ${tids.length}`);
  for (let i = 1; i < offsets.length; i++) if (offsets[i] < offsets[i - 1]) t.fail('title_offsets', `offsets decrease at ${i}`);
  for (const id of tids) if (!hasRow(id)) t.fail('title_token_ids', `token id ${id} has no embedding row`);
  return { offsets, tids };
}

/** value -> its first position. */
function firstIndex<K>(values: readonly K[]): Map<K, number> {
  const out = new Map<K, number>();
  values.forEach((v, i) => out.has(v) || out.set(v, i));
  return out;
}

/** value -> its position; a repeat calls `repeated` (which throws). */
function uniqueIndex<K>(values: readonly K[], repeated: (value: K) => never): Map<K, number> {
  const out = new Map<K, number>();
  values.forEach((v, i) => {
    if (out.has(v)) repeated(v);
    out.set(v, i);
  });
  return out;
}
