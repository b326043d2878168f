import { join } from 'node:path';
import { readLines } from '@lmrec/core';
import type { DedupRule } from '../interactions/builder.js';
import type { InteractionDataset } from '../interactions/dataset.js';
import { fileExists } from '../util/files.js';
import { parseError, fileError } from '../util/fail.js';
import { loadInteractionTable, type Column } from './generic.js';

const TYPES = new Set(['token', 'token_seq', 'float', 'float_seq']);

export interface RecBoleOptions {
  /** Folder holding `<name>.inter` (and optionally `<name>.item`). */
  dir: string;
  /** Dataset name (file stem), e.g. "ml-100k". */
  dataset: string;
  userField?: string;
  itemField?: string;
  ratingField?: string;
  timeField?: string;
  /** Title field of the .item file (default: the first of movie_title, title, item_name, name present). */
  titleField?: string;
  dedup?: DedupRule;
  minRating?: number;
  /** Quoting of both files, as for the table loader: '"' (default) or false. */
  quote?: '"' | false;
  /** Both files must end with a newline (default true). */
  requireFinalNewline?: boolean;
}

/** Typed header of a RecBole atomic file: `name:type` per tab-separated column. */
async function readHeader(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const { text, line } of readLines(file)) {
    text.split('\t').forEach((cell, k) => {
      const m = /^([^:]+):([a-z_]+)$/.exec(cell.replace(/^\uFEFF/, '').trim());
      if (!m) parseError(`header cell "${cell}" is not name:type`, file, line, `column ${k + 1}`);
      if (!TYPES.has(m![2])) parseError(`unknown RecBole type "${m![2]}" (token, token_seq, float, float_seq)`, file, line, m![1]);
      if (out.has(m![1])) parseError(`duplicate column "${m![1]}"`, file, line, m![1]);
      out.set(m![1], cell.trim());
    });
    return out;
  }
  return fileError('E_EMPTY', 'empty file', file);
}

/**
 * RecBole atomic files: `<dataset>.inter` (user_id:token, item_id:token,
 * rating:float, timestamp:float) and `<dataset>.item` (item_id:token plus
 * text fields, token_seq genres split on spaces).
 */
export async function loadRecBole(options: RecBoleOptions): Promise<InteractionDataset> {
  const interFile = join(options.dir, `${options.dataset}.inter`);
  const itemFile = join(options.dir, `${options.dataset}.item`);
  if (!(await fileExists(interFile))) fileError('E_IO', 'RecBole .inter file not found', interFile);
  const header = await readHeader(interFile);
  const col = (name: string, file: string, required: boolean): Column | undefined => {
    const full = header.get(name);
    if (!full && required) parseError(`no "${name}" column (has: ${[...header.keys()].join(', ')})`, file, 1, name);
    return full;
  };
  const user = col(options.userField ?? 'user_id', interFile, true)!;
  const item = col(options.itemField ?? 'item_id', interFile, true)!;
  const rating = col(options.ratingField ?? 'rating', interFile, options.ratingField !== undefined);
  const timestamp = col(options.timeField ?? 'timestamp', interFile, options.timeField !== undefined);
  let items: Parameters<typeof loadInteractionTable>[0]['items'];
  if (await fileExists(itemFile)) {
    const ih = await readHeader(itemFile);
    const id = ih.get(options.itemField ?? 'item_id');
    if (!id) parseError(`no "${options.itemField ?? 'item_id'}" column`, itemFile, 1, options.itemField ?? 'item_id');
    const titleName = options.titleField ?? ['movie_title', 'title', 'item_name', 'name'].find((n) => ih.has(n));
    const title = titleName ? ih.get(titleName) : undefined;
    if (!title) parseError(`no title column (looked for ${options.titleField ?? 'movie_title, title, item_name, name'})`, itemFile, 1, options.titleField ?? 'title');
    const genres = ih.get('genre') ?? ih.get('genres') ?? ih.get('categories');
    items = { file: itemFile, format: 'csv', delimiter: '\t', quote: options.quote, requireFinalNewline: options.requireFinalNewline, columns: { id: id!, title: title!, genres }, genreSeparator: ' ' };
  }
  return loadInteractionTable({
    file: interFile,
    format: 'csv',
    delimiter: '\t',
    quote: options.quote,
    requireFinalNewline: options.requireFinalNewline,
    columns: { user, item, rating, timestamp },
    items,
    dedup: options.dedup,
    minRating: options.minRating,
    name: options.dataset,
  });
}
