import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { LmrecError, parseNpy, parseSafetensors, type EncodeOptions, type TextEncoder } from '@lmrec/core';
import { encodeInBatches, l2Normalize } from '../util/batch.js';

export interface PrecomputedEncoderOptions {
  /** Embeddings [n, dim]: `.npy` (f4/f8) or `.safetensors` (F32/F64/F16/BF16). */
  file: string;
  /** One id per line, line i naming row i of `file` (UTF-8). */
  idsFile: string;
  /** Tensor name inside a safetensors file. Default: its only tensor, else "embeddings". */
  tensor?: string;
  /** The dataset's item ids: the file must hold exactly these (missing or extra ids are errors). */
  itemIds?: readonly string[];
  /** L2-normalise rows. Default false (keep the vectors as computed). */
  normalize?: boolean;
}

const MAX_LISTED = 10;

/**
 * Embeddings computed elsewhere (e.g. by Python), looked up by id: `encode`
 * takes ids (not free text) and returns their rows. Checked on load: shape,
 * finite values, unique non-empty ids, rows = ids, and optionally the exact
 * id set of a dataset.
 */
export class PrecomputedEncoder implements TextEncoder {
  readonly id: string;
  readonly dim: number;
  readonly ids: readonly string[];
  private readonly data: Float32Array;
  private readonly rowOf = new Map<string, number>();

  constructor(options: PrecomputedEncoderOptions) {
    const bytes = readBytes(options.file);
    const { data, rows, dim } = readMatrix(bytes, options.file, options.tensor);
    const idBytes = readBytes(options.idsFile);
    const ids = parseIds(idBytes, options.idsFile);
    if (ids.length !== rows) {
      throw new LmrecError('E_IDS', `${ids.length} ids for ${rows} embedding rows in ${options.file}`, { file: options.idsFile, hint: 'the id file needs one line per row, in row order' });
    }
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new LmrecError('E_NUMERIC', `row ${Math.floor(i / dim)} (id "${ids[Math.floor(i / dim)]}") has a non-finite value`, { file: options.file });
      }
    }
    this.ids = ids;
    ids.forEach((id, i) => this.rowOf.set(id, i));
    this.dim = dim;
    this.data = data;
    if (options.normalize) for (let r = 0; r < rows; r++) l2Normalize(data.subarray(r * dim, (r + 1) * dim));
    if (options.itemIds) this.checkItems(options.itemIds);
    const hash = createHash('sha256').update(bytes).update('\0').update(idBytes).digest('hex').slice(0, 16);
    this.id = `precomputed(file=${basename(options.file)}@${hash}${options.tensor ? `,tensor=${options.tensor}` : ''},${options.normalize ? 'l2' : 'raw'})`;
  }

  /** Throws naming the ids that the dataset has and the file lacks, and the ids the file has beyond the dataset. */
  checkItems(itemIds: readonly string[]): void {
    const wanted = new Set(itemIds);
    const missing = itemIds.filter((id) => !this.rowOf.has(id));
    const extra = this.ids.filter((id) => !wanted.has(id));
    if (missing.length === 0 && extra.length === 0) return;
    const parts: string[] = [];
    if (missing.length) parts.push(`${missing.length} dataset item(s) have no embedding: ${list(missing)}`);
    if (extra.length) parts.push(`${extra.length} embedding id(s) are not dataset items: ${list(extra)}`);
    throw new LmrecError('E_IDS', parts.join('; '), { hint: 'make the embeddings for exactly the dataset\'s items, or filter the dataset to match' });
  }

  /** Rows for `itemIds` as one contiguous [n, dim] matrix, in that order (after `checkItems`). */
  matrixFor(itemIds: readonly string[]): { dim: number; data: Float32Array } {
    this.checkItems(itemIds);
    const out = new Float32Array(itemIds.length * this.dim);
    itemIds.forEach((id, i) => out.set(this.row(id), i * this.dim));
    return { dim: this.dim, data: out };
  }

  /** Looks up each input as an id. */
  async encode(ids: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    const unknown = ids.filter((id) => !this.rowOf.has(id));
    if (unknown.length) {
      throw new LmrecError('E_IDS', `no precomputed embedding for ${unknown.length} id(s): ${list(unknown)}`, { hint: 'the precomputed encoder takes item ids, not free text' });
    }
    return encodeInBatches(ids, options, 4096, 'precomputed lookup', (batch) => batch.map((id) => this.row(id).slice()));
  }

  private row(id: string): Float32Array {
    const r = this.rowOf.get(id)!;
    return this.data.subarray(r * this.dim, (r + 1) * this.dim);
  }
}

function list(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_LISTED).map((id) => JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}...` : id));
  return shown.join(', ') + (ids.length > MAX_LISTED ? `, ... (${ids.length - MAX_LISTED} more)` : '');
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
}

function readMatrix(bytes: Uint8Array, file: string, tensorName?: string): { data: Float32Array; rows: number; dim: number } {
  let shape: number[];
  let values: ArrayLike<number>;
  if (file.endsWith('.npy')) {
    const npy = parseNpy(bytes, file);
    if (npy.dtype !== '<f4' && npy.dtype !== '<f8') throw new LmrecError('E_NPY', `embeddings must be float32 or float64, got ${npy.dtype}`, { file, field: 'descr' });
    shape = npy.shape;
    values = npy.data as Float32Array | Float64Array;
  } else if (file.endsWith('.safetensors')) {
    const st = parseSafetensors(bytes, file);
    const names = Object.keys(st.tensors);
    const name = tensorName ?? (names.length === 1 ? names[0] : 'embeddings');
    const tensor = st.tensors[name];
    if (!tensor) throw new LmrecError('E_SAFETENSORS', `no tensor "${name}" (tensors: ${names.join(', ')})`, { file, field: 'tensor', hint: 'pass the tensor option' });
    if (!['F32', 'F64', 'F16', 'BF16'].includes(tensor.dtype)) throw new LmrecError('E_SAFETENSORS', `embeddings must be floating point, got ${tensor.dtype}`, { file, field: name });
    shape = tensor.shape;
    values = tensor.data as Float32Array | Float64Array;
  } else {
    throw new LmrecError('E_ARGUMENT', 'embeddings file must end in .npy or .safetensors', { file });
  }
  if (shape.length !== 2 || shape[1] < 1) throw new LmrecError('E_SHAPE', `embeddings must be a 2-D [items, dim] array, got shape [${shape.join(', ')}]`, { file });
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  return { data, rows: shape[0], dim: shape[1] };
}

function parseIds(bytes: Uint8Array, file: string): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LmrecError('E_ENCODING', 'id file is not valid UTF-8', { file });
  }
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const firstLine = new Map<string, number>();
  lines.forEach((id, i) => {
    if (id === '') throw new LmrecError('E_IDS', 'empty id', { file, line: i + 1 });
    const seen = firstLine.get(id);
    if (seen !== undefined) throw new LmrecError('E_IDS', `duplicate id "${id}" (first on line ${seen})`, { file, line: i + 1 });
    firstLine.set(id, i + 1);
  });
  return lines;
}
