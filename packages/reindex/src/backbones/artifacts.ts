import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  LmrecError,
  silentProgress,
  writeJsonAtomic,
  writeSafetensors,
  type Backbone,
  type DialogueTurn,
  type ProgressReporter,
  type SafeTensor,
} from '@lmrec/core';
import { contextKey, renderContext, RTA_PROMPT } from '../prompt.js';
import { ARTIFACTS_FORMAT, MANIFEST_FILE, TENSORS_FILE, type ArtifactsManifest } from './artifacts-format.js';
import { loadArtifacts, type LoadedArtifacts } from './artifacts-load.js';

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

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

export { ARTIFACTS_FORMAT, MANIFEST_FILE, TENSORS_FILE, type ArtifactsManifest } from './artifacts-format.js';
