import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Csr, LmrecError, readLines, readNpy, type CfSplit } from '@lmrec/core';
import { parseError, fileError } from '../util/fail.js';

export interface AlphaRecDir {
  split: CfSplit;
  itemEmbeddings?: { dim: number; data: Float32Array };
}

export interface AlphaRecDirOptions {
  /** File name inside item_info/ (default: the only .npy there, else AlphaRec's `item_cf_embeds_large3_array.npy`). */
  embeddings?: string;
}

interface Rows {
  users: number[];
  items: number[][];
}

/** One `cf_data/*.txt`: `user item item ...` per line, 0-based ids. */
async function readCfFile(file: string): Promise<Rows> {
  const users: number[] = [];
  const items: number[][] = [];
  const lineOf = new Map<number, number>();
  for await (const { text, line } of readLines(file)) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const tokens = trimmed.split(/\s+/);
    const ids = tokens.map((token, k) => {
      if (!/^\d+$/.test(token)) parseError(`"${token}" is not a non-negative integer id`, file, line, k === 0 ? 'user' : `item ${k}`);
      return Number(token);
    });
    const user = ids[0];
    if (lineOf.has(user)) parseError(`user ${user} already has a line (line ${lineOf.get(user)})`, file, line, 'user');
    lineOf.set(user, line);
    const row = ids.slice(1);
    const seen = new Set<number>();
    row.forEach((item, k) => {
      if (seen.has(item)) parseError(`item ${item} repeated for user ${user}`, file, line, `item ${k + 1}`);
      seen.add(item);
    });
    users.push(user);
    items.push(row);
  }
  return { users, items };
}

function toCsr(rows: Rows, nUsers: number, nItems: number): Csr {
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
 * `item_info/*.npy` item embeddings, one row per item). nUsers/nItems are
 * 1 + the largest id seen (or the embedding rows, which must cover every
 * item). A pair in two parts is a leak and an error.
 */
export async function loadAlphaRecDir(dir: string, options: AlphaRecDirOptions = {}): Promise<AlphaRecDir> {
  const parts = {} as Record<'train' | 'valid' | 'test', Rows>;
  const files = {} as Record<'train' | 'valid' | 'test', string>;
  for (const part of ['train', 'valid', 'test'] as const) {
    files[part] = join(dir, 'cf_data', `${part}.txt`);
    try {
      await fs.access(files[part]);
    } catch {
      fileError('E_IO', `missing AlphaRec file cf_data/${part}.txt`, files[part]);
    }
    parts[part] = await readCfFile(files[part]);
  }
  if (parts.train.users.length === 0) fileError('E_EMPTY', 'no users in the train file', files.train);
  let maxUser = -1;
  let maxItem = -1;
  for (const rows of Object.values(parts)) {
    for (const u of rows.users) maxUser = Math.max(maxUser, u);
    for (const list of rows.items) for (const i of list) maxItem = Math.max(maxItem, i);
  }
  let itemEmbeddings: AlphaRecDir['itemEmbeddings'];
  const npyFile = await findNpy(dir, options.embeddings);
  let nItems = maxItem + 1;
  if (npyFile) {
    const arr = await readNpy(npyFile);
    if (arr.shape.length !== 2) throw new LmrecError('E_SHAPE', `item embeddings must be 2-D, got shape (${arr.shape.join(', ')})`, { file: npyFile, field: 'shape' });
    const [rows, dim] = arr.shape;
    if (rows < nItems) {
      throw new LmrecError('E_SHAPE', `${rows} embedding rows but cf_data uses item id ${maxItem}`, { file: npyFile, field: 'shape', hint: 'row i must be item i' });
    }
    nItems = rows;
    const data = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data as ArrayLike<number>, Number);
    itemEmbeddings = { dim, data };
  }
  const nUsers = maxUser + 1;
  const train = toCsr(parts.train, nUsers, nItems);
  const valid = toCsr(parts.valid, nUsers, nItems);
  const test = toCsr(parts.test, nUsers, nItems);
  for (const [name, a, b] of [['train/valid', train, valid], ['train/test', train, test], ['valid/test', valid, test]] as const) {
    const overlap = a.nnz + b.nnz - a.union(b).nnz;
    if (overlap > 0) {
      throw new LmrecError('E_LEAK', `${overlap} user-item pairs appear in both ${name}`, { file: join(dir, 'cf_data'), hint: 'a split must be disjoint' });
    }
  }
  return { split: { nUsers, nItems, train, valid, test }, itemEmbeddings };
}

async function findNpy(dir: string, name: string | undefined): Promise<string | undefined> {
  const infoDir = join(dir, 'item_info');
  if (name) return join(infoDir, name);
  let entries: string[];
  try {
    entries = (await fs.readdir(infoDir)).filter((f) => f.endsWith('.npy')).sort();
  } catch {
    return undefined;
  }
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return join(infoDir, entries[0]);
  if (entries.includes('item_cf_embeds_large3_array.npy')) return join(infoDir, 'item_cf_embeds_large3_array.npy');
  throw new LmrecError('E_ARGUMENT', `several .npy files in item_info (${entries.join(', ')})`, { file: infoDir, field: 'embeddings', hint: 'pass { embeddings: "<file>.npy" }' });
}

