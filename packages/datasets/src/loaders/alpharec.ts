import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { Csr, LmrecError, type CfSplit } from '@lmrec/core';
import { fileError } from '../util/fail.js';
import { readCfFile, type CfRows } from './cf-file.js';
import { readAlphaRecItemTexts } from './alpharec-items.js';
import { readEmbeddingTable } from './embeddings.js';

export interface AlphaRecDir {
  split: CfSplit;
  /** `file`: the embeddings file's name inside item_info/ (AlphaRec keys its MLP width by it). */
  itemEmbeddings?: { dim: number; data: Float32Array; file?: string };
  /** Item texts (row i = item i) from `item_map.tsv` or the `itemText` file, when there is one. */
  titles?: string[];
}

export interface AlphaRecDirOptions {
  /**
   * File name inside item_info/, `.npy` or `.safetensors` (default: the only
   * such file there, else AlphaRec's `item_cf_embeds_large3_array.npy`).
   */
  embeddings?: string;
  /** Tensor to read from a `.safetensors` embeddings file holding several. */
  tensor?: string;
  /**
   * Catalogue size when there is no embeddings file and some items have no
   * interaction in any part (ids must then be < nItems). Default: ids must be
   * contiguous 0..max, as AlphaRec's loader assumes.
   */
  nItems?: number;
  /** Tab-separated item-text file in the folder (header with new_id and text columns); default item_map.tsv when present. */
  itemText?: string;
}

type Part = 'train' | 'valid' | 'test';
const PARTS: Part[] = ['train', 'valid', 'test'];

function toCsr(rows: CfRows, nUsers: number, nItems: number): Csr {
  const r: number[] = [];
  const c: number[] = [];
  rows.users.forEach((u, k) => {
    for (const i of rows.items[k]) {
      r.push(u);
      c.push(i);
    }
  });
  return Csr.fromCoo(nUsers, nItems, r, c);
}

/**
 * AlphaRec's released layout: `cf_data/{train,valid,test}.txt` (+ optional
 * item embeddings in `item_info/`, one row per item). Beyond the per-line
 * rules of readCfFile, the files must agree as AlphaRec's own loader
 * assumes: train users are exactly 0..n-1 (n = its line count); a user of
 * valid/test has a train line (else train.txt was cut at a line end); item
 * ids are < the embedding rows (or `nItems`), or without either, contiguous
 * 0..max over the three files; no pair is in two parts (a leak).
 */
export async function loadAlphaRecDir(dir: string, options: AlphaRecDirOptions = {}): Promise<AlphaRecDir> {
  const parts = {} as Record<Part, CfRows>;
  for (const part of PARTS) {
    const file = join(dir, 'cf_data', `${part}.txt`);
    try {
      await fs.access(file);
    } catch {
      fileError('E_IO', `missing AlphaRec file cf_data/${part}.txt`, file);
    }
    parts[part] = await readCfFile(file);
  }
  const nUsers = checkUsers(parts);
  let itemEmbeddings: AlphaRecDir['itemEmbeddings'];
  const embeddingsFile = await findEmbeddings(dir, options.embeddings);
  let catalogue: ItemRange | undefined;
  if (options.nItems !== undefined) {
    if (!Number.isInteger(options.nItems) || options.nItems < 1) {
      throw new LmrecError('E_ARGUMENT', `nItems must be a positive integer, got ${options.nItems}`, { field: 'nItems' });
    }
    catalogue = { n: options.nItems, source: `the nItems option (${options.nItems})` };
  }
  if (embeddingsFile) {
    const table = await readEmbeddingTable(embeddingsFile, options.tensor);
    if (catalogue && catalogue.n !== table.rows) {
      throw new LmrecError('E_SHAPE', `${table.rows} embedding rows but nItems is ${catalogue.n}`, { file: embeddingsFile, field: 'shape', hint: 'row i must be item i' });
    }
    catalogue = { n: table.rows, source: `the ${table.rows} rows of ${embeddingsFile} (row i = item i)` };
    itemEmbeddings = { dim: table.dim, data: table.data, file: basename(embeddingsFile) };
  }
  const nItems = catalogue ? checkItemRange(parts, catalogue) : maxItem(parts) + 1;
  const csr = {} as Record<Part, Csr>;
  for (const part of PARTS) csr[part] = toCsr(parts[part], nUsers, nItems);
  for (const [name, a, b] of [['train/valid', csr.train, csr.valid], ['train/test', csr.train, csr.test], ['valid/test', csr.valid, csr.test]] as const) {
    const overlap = a.nnz + b.nnz - a.union(b).nnz;
    if (overlap > 0) {
      throw new LmrecError('E_LEAK', `${overlap} user-item pairs appear in both ${name}`, { file: join(dir, 'cf_data'), hint: 'a split must be disjoint' });
    }
  }
  if (!catalogue) checkContiguous(parts, csr, nItems);
  const titles = await readAlphaRecItemTexts(dir, nItems, options.itemText);
  return { split: { nUsers, nItems, ...csr }, itemEmbeddings, ...(titles ? { titles } : {}) };
}

/** Train users must be 0..n-1, and every valid/test user must have a train line. */
function checkUsers(parts: Record<Part, CfRows>): number {
  const train = parts.train;
  const n = train.users.length;
  if (n === 0) fileError('E_EMPTY', 'no users in the train file', train.file);
  const present = new Uint8Array(n);
  train.users.forEach((u, k) => {
    if (u >= n) {
      throw new LmrecError('E_RANGE', `user ${u} in a file of ${n} lines: train users must be 0..${n - 1}, each on one line`, {
        file: train.file,
        line: train.lines[k],
        field: 'user',
        hint: 'AlphaRec numbers users densely from 0; a gap means a lost or damaged line',
      });
    }
    present[u] = 1;
  });
  for (const part of ['valid', 'test'] as const) {
    const rows = parts[part];
    rows.users.forEach((u, k) => {
      if (u >= n || !present[u]) {
        throw new LmrecError('E_RANGE', `user ${u} has no line in train.txt (train users are 0..${n - 1})`, {
          file: rows.file,
          line: rows.lines[k],
          field: 'user',
          hint: 'every user is in train; train.txt may be cut short',
        });
      }
    });
  }
  return n;
}

interface ItemRange {
  n: number;
  source: string;
}

/** Every item id must be < range.n; the error names the first line holding one that is not. */
function checkItemRange(parts: Record<Part, CfRows>, range: ItemRange): number {
  for (const part of PARTS) {
    const rows = parts[part];
    rows.items.forEach((list, k) => {
      const at = list.findIndex((i) => i >= range.n);
      if (at >= 0) {
        throw new LmrecError('E_RANGE', `item ${list[at]} is outside 0..${range.n - 1}, the catalogue given by ${range.source}`, {
          file: rows.file,
          line: rows.lines[k],
          field: `item ${at + 1}`,
        });
      }
    });
  }
  return range.n;
}

function maxItem(parts: Record<Part, CfRows>): number {
  let max = -1;
  for (const part of PARTS) for (const list of parts[part].items) for (const i of list) if (i > max) max = i;
  if (max < 0) fileError('E_EMPTY', 'no item in any cf_data file', parts.train.file);
  return max;
}

/** Without a catalogue size, item ids must cover 0..max: a gap means a damaged id. */
function checkContiguous(parts: Record<Part, CfRows>, csr: Record<Part, Csr>, nItems: number): void {
  const used = new Uint8Array(nItems);
  for (const part of PARTS) for (const i of csr[part].indices) used[i] = 1;
  const gap = used.indexOf(0);
  if (gap < 0) return;
  const max = nItems - 1;
  for (const part of PARTS) {
    const rows = parts[part];
    const k = rows.items.findIndex((list) => list.includes(max));
    if (k < 0) continue;
    throw new LmrecError('E_RANGE', `item ids are not contiguous: no file uses item ${gap}, but item ${max} is used here`, {
      file: rows.file,
      line: rows.lines[k],
      field: `item ${rows.items[k].indexOf(max) + 1}`,
      hint: 'AlphaRec numbers items 0..n-1; pass { nItems } (or an embeddings file) when some items have no interaction',
    });
  }
}

async function findEmbeddings(dir: string, name: string | undefined): Promise<string | undefined> {
  const infoDir = join(dir, 'item_info');
  if (name) return join(infoDir, name);
  let entries: string[];
  try {
    entries = (await fs.readdir(infoDir)).filter((f) => f.endsWith('.npy') || f.endsWith('.safetensors')).sort();
  } catch {
    return undefined;
  }
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return join(infoDir, entries[0]);
  if (entries.includes('item_cf_embeds_large3_array.npy')) return join(infoDir, 'item_cf_embeds_large3_array.npy');
  throw new LmrecError('E_ARGUMENT', `several embedding files in item_info (${entries.join(', ')})`, { file: infoDir, field: 'embeddings', hint: 'pass { embeddings: "<file>" }' });
}
