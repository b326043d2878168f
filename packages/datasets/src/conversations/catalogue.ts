import { readLines } from '@lmrec/core';
import type { Conversation } from './types.js';
import { normalizeTitle, splitDelimited } from '../util/csv.js';
import { fileError, parseError } from '../util/fail.js';
import { assertEndsWithNewline } from '../util/files.js';

export interface Catalogue {
  ids: string[];
  titles: string[];
  index: Map<string, number>;
  /** The file it was read from (named in unresolved-id errors). */
  file?: string;
}

/**
 * A CSV item catalogue with a header naming the id and title columns
 * (ReDIAL's `movies_with_mentions.csv`: movieId,movieName,nbMentions).
 * Dense ids follow file order; an id not matching `idPattern` or repeated
 * is an error, and the file must
 * end with a newline (the release does, CRLF): a cut-off last row is
 * E_TRUNCATED, since a cut inside its last field still parses.
 */
export async function readCatalogueCsv(file: string, idColumn: string, titleColumn: string, idPattern: RegExp = /^\S+$/): Promise<Catalogue> {
  const ids: string[] = [];
  const titles: string[] = [];
  const index = new Map<string, number>();
  let idCol = -1;
  let titleCol = -1;
  let width = 0;
  let last = 0;
  for await (const { text, line } of readLines(file)) {
    last = line;
    if (line === 1) {
      const header = splitDelimited(text.replace(/^\uFEFF/, ''), ',', file, line);
      idCol = header.indexOf(idColumn);
      titleCol = header.indexOf(titleColumn);
      if (idCol < 0) parseError(`header has no "${idColumn}" column (has: ${header.join(', ')})`, file, line, idColumn);
      if (titleCol < 0) parseError(`header has no "${titleColumn}" column (has: ${header.join(', ')})`, file, line, titleColumn);
      width = header.length;
      continue;
    }
    if (text === '') continue;
    const fields = splitDelimited(text, ',', file, line);
    if (fields.length !== width) parseError(`expected ${width} fields, found ${fields.length}`, file, line);
    const id = fields[idCol];
    if (!idPattern.test(id)) parseError(`bad id "${id}" (want ${idPattern.source})`, file, line, idColumn);
    const title = normalizeTitle(fields[titleCol]);
    if (title === '') parseError('empty title', file, line, titleColumn);
    if (index.has(id)) parseError(`duplicate id "${id}" (first on data row ${index.get(id)! + 1})`, file, line, idColumn);
    index.set(id, ids.length);
    ids.push(id);
    titles.push(title);
  }
  if (idCol < 0) fileError('E_EMPTY', 'empty file (no header)', file);
  if (ids.length === 0) fileError('E_EMPTY', 'no rows after the header', file);
  await assertEndsWithNewline(file, last);
  return { ids, titles, index, file };
}

/**
 * Restricts a catalogue to the items some turn of `conversations` mentions,
 * renumbered by ascending catalogue id (numerically when every id is an
 * integer), and rewrites the turns' `items` and `liked` in place to the new
 * ids. This is the official RTA catalogue of ReDIAL (item id = rank of
 * ascending movieId among the mentioned movies).
 */
export function restrictToMentioned(catalogue: Catalogue, conversations: Conversation[]): { ids: string[]; titles: string[] } {
  const used = new Uint8Array(catalogue.ids.length);
  for (const c of conversations) for (const t of c.turns) for (const i of t.items) used[i] = 1;
  const kept = catalogue.ids.map((_, i) => i).filter((i) => used[i]);
  const numeric = kept.every((i) => /^\d{1,15}$/.test(catalogue.ids[i]));
  kept.sort((a, b) => (numeric ? Number(catalogue.ids[a]) - Number(catalogue.ids[b]) : catalogue.ids[a] < catalogue.ids[b] ? -1 : catalogue.ids[a] > catalogue.ids[b] ? 1 : 0));
  const remap = new Int32Array(catalogue.ids.length).fill(-1);
  kept.forEach((old, k) => (remap[old] = k));
  for (const c of conversations) {
    for (const t of c.turns) {
      t.items = t.items.map((i) => remap[i]);
      if (t.liked) t.liked = t.liked.map((i) => remap[i]);
    }
  }
  return { ids: kept.map((i) => catalogue.ids[i]), titles: kept.map((i) => catalogue.titles[i]) };
}
