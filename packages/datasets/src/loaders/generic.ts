import { readLines } from '@lmrec/core';
import { InteractionBuilder, type DedupRule } from '../interactions/builder.js';
import { InteractionDataset } from '../interactions/dataset.js';
import { Items } from '../interactions/idmap.js';
import { normalizeTitle, parseNumberStrict, splitDelimited } from '../util/csv.js';
import { parseError, fileError } from '../util/fail.js';
import { assertEndsWithNewline } from '../util/files.js';

/** Column names (files with a header / JSON keys) or 0-based indices (headerless files). */
export type Column = string | number;

export interface TableSource {
  file: string;
  /** `csv` (default for .csv/.tsv), `jsonl` (one object per line). */
  format?: 'csv' | 'jsonl';
  /** Field separator for csv (default ',' or '\t' for .tsv). */
  delimiter?: string;
  /** First line names the columns (csv; default true). */
  header?: boolean;
  encoding?: 'utf-8' | 'latin1';
  /**
   * csv quoting: '"' (default, RFC 4180 double quotes) or false (fields are
   * split on the delimiter only, so `"Weird Al" Yankovic` in a tsv is text).
   */
  quote?: '"' | false;
  /**
   * A csv/tsv must end with a newline (default true): a last line without
   * one is E_TRUNCATED, since a cut inside its last field can still parse.
   * JSON lines are not checked (a cut line is invalid JSON), nor .gz files
   * (zlib detects their truncation).
   */
  requireFinalNewline?: boolean;
}

export interface GenericInteractionsOptions extends TableSource {
  columns: { user: Column; item: Column; rating?: Column; timestamp?: Column };
  /** Optional catalogue: items resolve through it (an unknown item is an error). */
  items?: TableSource & { columns: { id: Column; title: Column; description?: Column; genres?: Column; brand?: Column }; genreSeparator?: string };
  dedup?: DedupRule;
  minRating?: number;
  name?: string;
}

type Row = (column: Column, field: string) => string | number | undefined;

/** Streams rows of a csv/jsonl table with a field getter that reports the column's location. */
export async function* readTable(source: TableSource, columns: Column[]): AsyncGenerator<{ get: Row; line: number }> {
  const file = source.file;
  const format = source.format ?? (/\.jsonl?(\.gz)?$/.test(file) ? 'jsonl' : 'csv');
  const delimiter = source.delimiter ?? (/\.tsv(\.gz)?$/.test(file) ? '\t' : ',');
  const header = format === 'csv' && (source.header ?? true);
  let names: string[] | undefined;
  let width = -1;
  let position = new Map<Column, number>();
  let rows = 0;
  const quote = source.quote ?? '"';
  if (quote !== '"' && quote !== false) parseError(`quote must be '"' or false, got ${JSON.stringify(quote)}`, file, undefined, 'quote');
  let last = 0;
  for await (const { text, line } of readLines(file, { encoding: source.encoding })) {
    last = line;
    if (text.trim() === '') continue;
    if (format === 'jsonl') {
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        parseError(`not valid JSON: ${(error as Error).message}`, file, line);
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) parseError('a line must be a JSON object', file, line);
      const obj = record as Record<string, unknown>;
      rows++;
      yield {
        line,
        get: (column) => {
          const v = obj[String(column)];
          if (v === undefined || v === null) parseError(`missing "${column}"`, file, line, String(column));
          if (typeof v !== 'string' && typeof v !== 'number') parseError(`"${column}" must be a string or number`, file, line, String(column));
          return v as string | number;
        },
      };
      continue;
    }
    const fields = splitDelimited(text, delimiter, file, line, quote);
    if (header && !names) {
      names = fields.map((f, k) => (k === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
      width = names.length;
      position = new Map();
      for (const column of columns) {
        const at = typeof column === 'number' ? column : names.indexOf(column);
        if (at < 0 || at >= width) parseError(`unknown column "${column}" (header has: ${names.join(', ')})`, file, line, String(column));
        position.set(column, at);
      }
      continue;
    }
    if (width < 0) {
      width = fields.length;
      for (const column of columns) {
        if (typeof column !== 'number') parseError(`column "${column}" needs a header line`, file, line, String(column), 'use 0-based indices for headerless files');
        if (column >= width) parseError(`column ${column} is beyond the ${width} fields of the first line`, file, line, String(column));
        position.set(column, column);
      }
    }
    if (fields.length !== width) {
      const at = Math.min(fields.length, width);
      parseError(`expected ${width} fields, found ${fields.length}`, file, line, names?.[at] ?? `column ${at + 1}`);
    }
    rows++;
    yield { line, get: (column) => fields[position.get(column)!] };
  }
  if (format === 'csv' && (source.requireFinalNewline ?? true)) await assertEndsWithNewline(file, last, 'the file looks cut short; pass requireFinalNewline: false if it is complete');
  if (rows === 0) fileError('E_EMPTY', header && names ? 'no rows after the header' : 'empty file', file);
}

/**
 * Any user-item table (csv/tsv with or without header, or JSON lines)
 * given a column mapping, with an optional item catalogue for titles.
 */
export async function loadInteractionTable(options: GenericInteractionsOptions): Promise<InteractionDataset> {
  const { columns } = options;
  let items: Items | undefined;
  let catalogue: Map<string | number, number> | undefined;
  if (options.items) {
    const c = options.items.columns;
    const ids: string[] = [];
    const titles: string[] = [];
    const descriptions: string[] | undefined = c.description !== undefined ? [] : undefined;
    const genres: string[][] | undefined = c.genres !== undefined ? [] : undefined;
    const brands: string[] | undefined = c.brand !== undefined ? [] : undefined;
    catalogue = new Map();
    const wanted = [c.id, c.title, c.description, c.genres, c.brand].filter((x): x is Column => x !== undefined);
    for await (const { get, line } of readTable(options.items, wanted)) {
      const id = String(get(c.id, 'id')).trim();
      if (id === '') parseError('empty item id', options.items.file, line, String(c.id));
      if (catalogue.has(id)) parseError(`duplicate item id "${id}"`, options.items.file, line, String(c.id));
      catalogue.set(id, ids.length);
      ids.push(id);
      titles.push(normalizeTitle(String(get(c.title, 'title'))));
      descriptions?.push(normalizeTitle(String(get(c.description!, 'description'))));
      genres?.push(String(get(c.genres!, 'genres')).split(options.items.genreSeparator ?? '|').map((g) => g.trim()).filter(Boolean));
      brands?.push(String(get(c.brand!, 'brand')));
    }
    items = new Items(ids, titles, descriptions, genres, brands);
  }
  const builder = new InteractionBuilder(options.file, { ratings: columns.rating !== undefined, timestamps: columns.timestamp !== undefined, catalogue });
  const minRating = options.minRating ?? -Infinity;
  const wanted = [columns.user, columns.item, columns.rating, columns.timestamp].filter((x): x is Column => x !== undefined);
  const number = (v: string | number, column: Column, line: number): number => {
    const x = typeof v === 'number' ? v : parseNumberStrict(v);
    if (x === undefined || !Number.isFinite(x)) parseError(`"${v}" is not a number`, options.file, line, String(column));
    return x!;
  };
  for await (const { get, line } of readTable(options, wanted)) {
    const user = String(get(columns.user, 'user')).trim();
    const itemKey = String(get(columns.item, 'item')).trim();
    if (user === '') parseError('empty user id', options.file, line, String(columns.user));
    if (itemKey === '') parseError('empty item id', options.file, line, String(columns.item));
    const item = builder.item(itemKey);
    if (item === undefined) parseError(`item "${itemKey}" is not in ${options.items!.file}`, options.file, line, String(columns.item));
    const rating = columns.rating !== undefined ? number(get(columns.rating, 'rating')!, columns.rating, line) : 1;
    const ts = columns.timestamp !== undefined ? number(get(columns.timestamp, 'timestamp')!, columns.timestamp, line) : 0;
    if (rating < minRating) continue;
    builder.push(builder.user(user), item!, rating, ts, line);
  }
  return builder.build(options.name ?? 'table', { items, dedup: options.dedup });
}
