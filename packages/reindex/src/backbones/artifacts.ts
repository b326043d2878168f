import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  LmrecError,
  readSafetensors,
  silentProgress,
  toInt32,
  writeJsonAtomic,
  writeSafetensors,
  writeFileAtomic,
  type Backbone,
  type DialogueTurn,
  type ProgressReporter,
  type SafeTensor,
} from '@lmrec/core';
import { contextKey, renderContext, renderPrompt, RTA_PROMPT, type PromptTemplate } from '../prompt.js';
import { isNpyLayout, loadNpyLayout } from './npy-layout.js';

export const ARTIFACTS_FORMAT = 'lmrec-rta-artifacts';
export const MANIFEST_FILE = 'manifest.json';
export const TENSORS_FILE = 'artifacts.safetensors';

/**
 * `manifest.json` of an artifacts folder. Arrays are in the order of the
 * tensors' rows: `titles[i]` owns `title_token_ids[title_offsets[i] :
 * title_offsets[i + 1]]`, `example_ids[r]` owns row r of `context_vectors`.
 */
export interface ArtifactsManifest {
  format: typeof ARTIFACTS_FORMAT;
  version: 1;
  /** The language model, e.g. "meta-llama/Llama-2-7b-chat-hf". */
  model: string;
  prompt: PromptTemplate;
  /** Hidden width d. */
  dim: number;
  /** Full vocabulary size of the tokenizer (informational). */
  vocab_size?: number;
  /** Context window the prompts were left-truncated to (tokens). */
  max_context_tokens?: number;
  titles: string[];
  example_ids: string[];
  /** sha256 of renderContext(turns) per example (lets `contextVectors(turns)` find a row). */
  context_keys?: string[];
}

export interface ArtifactsData {
  manifest: Omit<ArtifactsManifest, 'format' | 'version' | 'dim' | 'titles' | 'example_ids' | 'context_keys'> & Partial<ArtifactsManifest>;
  dim: number;
  titles: string[];
  titleTokenIds: number[][];
  /** Rows [rows * dim] of the token table, for `tokenIds` (or ids 0..rows-1 when omitted). */
  tokenEmbeddings: Float32Array;
  tokenIds?: number[];
  exampleIds: string[];
  contextVectors: Float32Array[];
  contextKeys?: string[];
}

/** Writes an artifacts folder (manifest.json + artifacts.safetensors, F32 / I32). */
export async function writeArtifacts(dir: string, data: ArtifactsData): Promise<void> {
  const { dim } = data;
  const rows = data.tokenEmbeddings.length / dim;
  if (!Number.isInteger(rows)) throw new LmrecError('E_SHAPE', `token embeddings (${data.tokenEmbeddings.length} values) are not a multiple of dim ${dim}`);
  if (data.tokenIds && data.tokenIds.length !== rows) throw new LmrecError('E_SHAPE', `${data.tokenIds.length} token ids for ${rows} embedding rows`);
  if (data.titles.length !== data.titleTokenIds.length) throw new LmrecError('E_SHAPE', `${data.titles.length} titles but ${data.titleTokenIds.length} token lists`);
  if (data.exampleIds.length !== data.contextVectors.length) throw new LmrecError('E_SHAPE', `${data.exampleIds.length} example ids but ${data.contextVectors.length} context vectors`);
  const offsets = new Int32Array(data.titleTokenIds.length + 1);
  data.titleTokenIds.forEach((ids, i) => (offsets[i + 1] = offsets[i] + ids.length));
  const flat = Int32Array.from(data.titleTokenIds.flat());
  const ctx = new Float32Array(data.contextVectors.length * dim);
  data.contextVectors.forEach((v, i) => {
    if (v.length !== dim) throw new LmrecError('E_SHAPE', `context vector ${i} has ${v.length} values, expected ${dim}`);
    ctx.set(v, i * dim);
  });
  const tensors: Record<string, SafeTensor> = {
    token_embeddings: { dtype: 'F32', shape: [rows, dim], data: data.tokenEmbeddings },
    title_token_ids: { dtype: 'I32', shape: [flat.length], data: flat },
    title_offsets: { dtype: 'I32', shape: [offsets.length], data: offsets },
    context_vectors: { dtype: 'F32', shape: [data.contextVectors.length, dim], data: ctx },
  };
  if (data.tokenIds) tensors.token_ids = { dtype: 'I32', shape: [rows], data: Int32Array.from(data.tokenIds) };
  const manifest: ArtifactsManifest = {
    ...data.manifest,
    prompt: data.manifest.prompt ?? RTA_PROMPT,
    format: ARTIFACTS_FORMAT,
    version: 1,
    dim,
    titles: data.titles,
    example_ids: data.exampleIds,
    ...(data.contextKeys ? { context_keys: data.contextKeys } : {}),
  };
  await fs.mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, TENSORS_FILE), tensors);
  await writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
}

export interface ArtifactsBackboneOptions {
  /** Folder with manifest.json + artifacts.safetensors, or the numpy layout of `npy-layout.ts` (e.g. redial_lexical). */
  dir: string;
}

/**
 * A backbone read from precomputed artifacts (encode once on a GPU, train
 * anywhere). See the package README for the layout and a Python exporter.
 * Loading is lazy (the plugin factory is synchronous); `ArtifactsBackbone.open`
 * loads eagerly and validates.
 */
export class ArtifactsBackbone implements Backbone {
  private loaded?: Promise<LoadedArtifacts>;
  private data?: LoadedArtifacts;

  constructor(readonly options: ArtifactsBackboneOptions) {}

  static async open(dir: string): Promise<ArtifactsBackbone> {
    const b = new ArtifactsBackbone({ dir });
    await b.load();
    return b;
  }

  get id(): string {
    return `artifacts:${this.options.dir}${this.data ? `:${this.data.manifest.model}` : ''}`;
  }

  /** Width d (after loading). */
  get dim(): number {
    if (!this.data) throw new LmrecError('E_STATE', 'ArtifactsBackbone.dim is known after loading', { hint: 'await ArtifactsBackbone.open(dir) or backbone.load()' });
    return this.data.manifest.dim;
  }

  get manifest(): ArtifactsManifest {
    if (!this.data) throw new LmrecError('E_STATE', 'artifacts not loaded yet', { hint: 'await backbone.load()' });
    return this.data.manifest;
  }

  async load(): Promise<this> {
    this.loaded ??= loadArtifacts(this.options.dir);
    this.data = await this.loaded;
    return this;
  }

  /** Backbone.ready: loads (once) so that `dim` and `id` are known. */
  async ready(): Promise<void> {
    await this.load();
  }

  /** Context vectors by example id (the manifest's `example_ids`). */
  async contextVectorsForIds(ids: readonly string[]): Promise<Float32Array[]> {
    const a = (await this.load()).data!;
    return ids.map((id) => {
      const row = a.exampleRow.get(id);
      if (row === undefined) throw new LmrecError('E_ARTIFACTS', `no context vector for example id "${id}"`, { file: a.tensorsFile, field: 'example_ids' });
      return a.contextVectors.slice(row * a.manifest.dim, (row + 1) * a.manifest.dim);
    });
  }

  /** Context vectors found by the sha256 of the rendered context (`context_keys`). */
  async contextVectors(contexts: readonly (readonly DialogueTurn[])[], options: { progress?: ProgressReporter } = {}): Promise<Float32Array[]> {
    const a = (await this.load()).data!;
    if (!a.keyRow) {
      throw new LmrecError('E_ARTIFACTS', 'these artifacts have no context_keys, so contexts can only be looked up by example id', {
        file: a.manifestFile,
        field: 'context_keys',
        hint: 'use contextVectorsForIds(ids), or export context_keys (see README)',
      });
    }
    const task = (options.progress ?? silentProgress).start('artifact contexts', contexts.length, 'contexts');
    const d = a.manifest.dim;
    const out = contexts.map((turns) => {
      const row = a.keyRow!.get(contextKey(turns));
      if (row === undefined) {
        throw new LmrecError('E_ARTIFACTS', `no context vector for the context "${truncate(renderContext(turns))}"`, { file: a.manifestFile, field: 'context_keys' });
      }
      task.tick();
      return a.contextVectors.slice(row * d, (row + 1) * d);
    });
    task.end();
    return out;
  }

  async tokenize(titles: readonly string[]): Promise<number[][]> {
    const a = (await this.load()).data!;
    return titles.map((title) => {
      const i = a.titleIndex.get(title);
      if (i === undefined) throw new LmrecError('E_ARTIFACTS', `title "${title}" is not in the artifacts`, { file: a.manifestFile, field: 'titles' });
      return Array.from(a.titleTokenIds.subarray(a.titleOffsets[i], a.titleOffsets[i + 1]));
    });
  }

  async tokenEmbeddings(ids: readonly number[]): Promise<Float32Array> {
    const a = (await this.load()).data!;
    const d = a.manifest.dim;
    const out = new Float32Array(ids.length * d);
    ids.forEach((id, i) => {
      const row = a.tokenRow ? a.tokenRow.get(id) : id >= 0 && id < a.rows ? id : undefined;
      if (row === undefined) throw new LmrecError('E_ARTIFACTS', `token id ${id} has no embedding row`, { file: a.tensorsFile, field: a.tokenRow ? 'token_ids' : 'token_embeddings' });
      out.set(a.tokenEmbeddings.subarray(row * d, (row + 1) * d), i * d);
    });
    return out;
  }
}

interface LoadedArtifacts {
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
  const titleIndex = new Map<string, number>();
  a.titles.forEach((t, i) => titleIndex.has(t) || titleIndex.set(t, i));
  const exampleRow = new Map<string, number>();
  a.exampleIds.forEach((id, r) => {
    if (exampleRow.has(id)) throw new LmrecError('E_ARTIFACTS', `example id "${id}" appears twice`, { file: dir, field: 'example_id' });
    exampleRow.set(id, r);
  });
  const keyRow = new Map<string, number>();
  a.contextKeys.forEach((k, r) => keyRow.has(k) || keyRow.set(k, r));
  return { manifest, manifestFile, tensorsFile: join(dir, 'token_embeddings.npy'), rows: a.rows, tokenEmbeddings: a.tokenEmbeddings, titleTokenIds: a.titleTokenIds, titleOffsets: a.titleOffsets, titleIndex, contextVectors: a.contextVectors, exampleRow, keyRow };
}

async function loadArtifacts(dir: string): Promise<LoadedArtifacts> {
  if (isNpyLayout(dir)) return loadNpyArtifacts(dir);
  const manifestFile = join(dir, MANIFEST_FILE);
  const tensorsFile = join(dir, TENSORS_FILE);
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
  const st = await readSafetensors(tensorsFile);
  const d = manifest.dim;
  const tensor = (name: string, required = true): SafeTensor | undefined => {
    const t = st.tensors[name];
    if (!t && required) throw new LmrecError('E_ARTIFACTS', 'missing tensor', { file: tensorsFile, field: name });
    return t;
  };
  const tfail = (field: string, message: string): never => {
    throw new LmrecError('E_ARTIFACTS', message, { file: tensorsFile, field });
  };
  const floats = (t: SafeTensor, field: string): Float32Array => {
    if (t.data instanceof Float32Array) return t.data;
    if (t.data instanceof Float64Array) return Float32Array.from(t.data);
    return tfail(field, `expected a float tensor, got ${t.dtype}`);
  };
  const emb = tensor('token_embeddings')!;
  if (emb.shape.length !== 2 || emb.shape[1] !== d) tfail('token_embeddings', `shape [${emb.shape}] is not [rows, ${d}]`);
  const rows = emb.shape[0];
  const ids = tensor('token_ids', false);
  let tokenRow: Map<number, number> | undefined;
  if (ids) {
    if (ids.shape.length !== 1 || ids.shape[0] !== rows) tfail('token_ids', `shape [${ids.shape}] does not match ${rows} embedding rows`);
    const v = toInt32(ids.data, 'token_ids');
    tokenRow = new Map();
    v.forEach((id, r) => {
      if (tokenRow!.has(id)) tfail('token_ids', `token id ${id} appears twice`);
      tokenRow!.set(id, r);
    });
  }
  const offsets = toInt32(tensor('title_offsets')!.data, 'title_offsets');
  const tids = toInt32(tensor('title_token_ids')!.data, 'title_token_ids');
  if (offsets.length !== manifest.titles.length + 1) tfail('title_offsets', `${offsets.length} offsets for ${manifest.titles.length} titles (need titles + 1)`);
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== tids.length) tfail('title_offsets', `offsets must start at 0 and end at ${tids.length}`);
  for (let i = 1; i < offsets.length; i++) if (offsets[i] < offsets[i - 1]) tfail('title_offsets', `offsets decrease at ${i}`);
  for (const id of tids) {
    if (tokenRow ? !tokenRow.has(id) : !(id >= 0 && id < rows)) tfail('title_token_ids', `token id ${id} has no embedding row`);
  }
  const ctxT = tensor('context_vectors')!;
  if (ctxT.shape.length !== 2 || ctxT.shape[1] !== d || ctxT.shape[0] !== manifest.example_ids.length) {
    tfail('context_vectors', `shape [${ctxT.shape}] is not [${manifest.example_ids.length} example_ids, ${d}]`);
  }
  const titleIndex = new Map<string, number>();
  manifest.titles.forEach((t, i) => {
    if (!titleIndex.has(t)) titleIndex.set(t, i);
  });
  const exampleRow = new Map<string, number>();
  manifest.example_ids.forEach((id, r) => {
    if (exampleRow.has(id)) mfail('example_ids', `example id "${id}" appears twice`);
    exampleRow.set(id, r);
  });
  let keyRow: Map<string, number> | undefined;
  if (manifest.context_keys) {
    if (manifest.context_keys.length !== manifest.example_ids.length) mfail('context_keys', `${manifest.context_keys.length} keys for ${manifest.example_ids.length} examples`);
    keyRow = new Map();
    manifest.context_keys.forEach((k, r) => {
      if (!keyRow!.has(k)) keyRow!.set(k, r);
    });
  }
  return {
    manifest,
    manifestFile,
    tensorsFile,
    rows,
    tokenEmbeddings: floats(emb, 'token_embeddings'),
    tokenRow,
    titleTokenIds: tids,
    titleOffsets: offsets,
    titleIndex,
    contextVectors: floats(ctxT, 'context_vectors'),
    exampleRow,
    keyRow,
  };
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

export interface ExportOptions {
  titles: readonly string[];
  examples: readonly { id: string; context: readonly DialogueTurn[] }[];
  model?: string;
  prompt?: PromptTemplate;
  progress?: ProgressReporter;
}

/**
 * Freezes any backbone's outputs (titles' token ids, the used token rows,
 * each example's q) into an artifacts folder, e.g. to run an in-process LLM
 * once and train from the files afterwards.
 */
export async function exportBackboneArtifacts(backbone: Backbone, dir: string, options: ExportOptions): Promise<void> {
  const titleTokenIds = await backbone.tokenize(options.titles);
  const used = [...new Set(titleTokenIds.flat())].sort((a, b) => a - b);
  const tokenEmbeddings = await backbone.tokenEmbeddings(used);
  const contextVectors = await backbone.contextVectors(
    options.examples.map((e) => e.context),
    { progress: options.progress },
  );
  await writeArtifacts(dir, {
    manifest: { model: options.model ?? backbone.id, prompt: options.prompt ?? RTA_PROMPT },
    dim: backbone.dim,
    titles: [...options.titles],
    titleTokenIds,
    tokenEmbeddings,
    tokenIds: used,
    exampleIds: options.examples.map((e) => e.id),
    contextVectors,
    contextKeys: options.examples.map((e) => contextKey(e.context)),
  });
}

/**
 * Inputs for an external (Python) exporter: `prompts.jsonl` (one line per
 * example: id, key, system, user, context) and `titles.json`. The README's
 * snippet reads these and writes the artifacts folder.
 */
export async function writeExportInputs(dir: string, options: { titles: readonly string[]; examples: readonly { id: string; context: readonly DialogueTurn[] }[]; prompt?: PromptTemplate }): Promise<void> {
  const template = options.prompt ?? RTA_PROMPT;
  const lines = options.examples.map((e) => {
    const context = renderContext(e.context);
    const { system, user } = renderPrompt(template, context);
    return JSON.stringify({ id: e.id, key: contextKey(e.context), system, user, context });
  });
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'prompts.jsonl'), lines.join('\n') + (lines.length ? '\n' : ''));
  await writeJsonAtomic(join(dir, 'titles.json'), { prompt: template, titles: options.titles });
}
