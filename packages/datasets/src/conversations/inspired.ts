import { readLines, LmrecError } from '@lmrec/core';
import type { Conversation, ConversationDataset, ConversationTurn } from './types.js';
import { normalizeTitle } from '../util/csv.js';
import { parseError, fileError } from '../util/fail.js';
import { assertEndsWithNewline } from '../util/files.js';

export interface InspiredOptions {
  /** `dialog_data/{train,dev,test}.tsv` of the INSPIRED release (Hayati et al. 2020). */
  train?: string | string[];
  valid?: string | string[];
  test?: string | string[];
  /** Optional `movie_database.tsv`: its `title` column adds the whole catalogue. */
  movies?: string;
  name?: string;
  /** Every tsv must end with a newline (default true): a last line without one is E_TRUNCATED. */
  requireFinalNewline?: boolean;
}

/** Splits the `movies` cell: titles end with "(YYYY)", several are separated by "," or ";". */
export function splitTitles(cell: string): string[] {
  if (cell.trim() === '') return [];
  return cell
    .split(/(?<=\(\d{4}\))\s*[,;]\s*/)
    .map(normalizeTitle)
    .filter(Boolean);
}

const REQUIRED = ['dialog_id', 'speaker', 'text', 'movies'] as const;

/**
 * INSPIRED tsv: one utterance per row (`dialog_id`, `utt_id`, `speaker`
 * RECOMMENDER/SEEKER, `text`, `movies` = titles mentioned). Rows of one
 * dialogue are contiguous; consecutive rows of one speaker form one turn.
 * Items are identified by their (normalised) title: the catalogue is
 * `movie_database.tsv` when given, plus every title mentioned.
 */
export async function loadInspired(options: InspiredOptions): Promise<ConversationDataset> {
  const ids: string[] = [];
  const index = new Map<string, number>();
  const itemOf = (title: string) => {
    let i = index.get(title);
    if (i === undefined) {
      i = ids.length;
      index.set(title, i);
      ids.push(title);
    }
    return i;
  };
  const ended = async (file: string, last: number) => {
    if (options.requireFinalNewline ?? true) await assertEndsWithNewline(file, last, 'the file looks cut short; pass requireFinalNewline: false if it is complete');
  };
  if (options.movies) {
    let titleCol = -1;
    let width = 0;
    let last = 0;
    for await (const { text, line } of readLines(options.movies)) {
      last = line;
      const cells = text.split('\t');
      if (line === 1) {
        titleCol = cells.indexOf('title');
        width = cells.length;
        if (titleCol < 0) parseError('no "title" column', options.movies, line, 'title');
        continue;
      }
      if (text.trim() === '') continue;
      if (cells.length !== width) parseError(`expected ${width} tab-separated fields, found ${cells.length}`, options.movies, line);
      const title = normalizeTitle(cells[titleCol]);
      if (title === '') parseError('empty title', options.movies, line, 'title');
      itemOf(title);
    }
    await ended(options.movies, last);
  }
  const conversations: Conversation[] = [];
  const readAll = async (files: string | string[] | undefined): Promise<number[]> => {
    const out: number[] = [];
    for (const file of typeof files === 'string' ? [files] : (files ?? [])) {
      let col: Record<string, number> = {};
      let width = 0;
      let current: Conversation | undefined;
      let lastRole: string | undefined;
      const closed = new Set<string>();
      let last = 0;
      for await (const { text, line } of readLines(file)) {
        last = line;
        const cells = text.split('\t');
        if (line === 1) {
          col = Object.fromEntries(cells.map((c, k) => [c.trim(), k]));
          for (const name of REQUIRED) if (col[name] === undefined) parseError(`no "${name}" column`, file, line, name);
          width = cells.length;
          continue;
        }
        if (text.trim() === '') continue;
        if (cells.length !== width) parseError(`expected ${width} tab-separated fields, found ${cells.length}`, file, line);
        const dialog = cells[col.dialog_id];
        const speaker = cells[col.speaker];
        if (dialog === '') parseError('empty dialog_id', file, line, 'dialog_id');
        if (speaker !== 'SEEKER' && speaker !== 'RECOMMENDER') parseError(`speaker must be SEEKER or RECOMMENDER, got "${speaker}"`, file, line, 'speaker');
        if (!current || current.id !== dialog) {
          if (current) closed.add(current.id);
          if (closed.has(dialog)) parseError(`dialogue "${dialog}" continues after another one started`, file, line, 'dialog_id');
          current = { id: dialog, turns: [] };
          out.push(conversations.length);
          conversations.push(current);
          lastRole = undefined;
        }
        const role = speaker === 'SEEKER' ? 'seeker' : 'recommender';
        const utterance = cells[col.text].replace(/QUOTATION_MARK/g, '"').trim();
        const items = splitTitles(cells[col.movies]).map(itemOf);
        if (role === lastRole) {
          const turn = current.turns[current.turns.length - 1];
          turn.text = [turn.text, utterance].filter(Boolean).join(' ');
          for (const i of items) if (!turn.items.includes(i)) (turn.items as number[]).push(i);
        } else {
          current.turns.push({ role, text: utterance, items: [...new Set(items)] } as ConversationTurn);
          lastRole = role;
        }
      }
      if (!current) fileError('E_EMPTY', 'no dialogues in file', file);
      await ended(file, last);
    }
    return out;
  };
  const train = await readAll(options.train);
  const valid = await readAll(options.valid);
  const test = await readAll(options.test);
  if (conversations.length === 0) throw new LmrecError('E_ARGUMENT', 'no INSPIRED files given', { hint: 'pass train/valid/test' });
  const seen = new Set<string>();
  for (const c of conversations) {
    if (seen.has(c.id)) throw new LmrecError('E_PARSE', `dialogue "${c.id}" appears in two files or twice`, { field: 'dialog_id' });
    seen.add(c.id);
  }
  return { name: options.name ?? 'inspired', items: { ids, titles: ids.slice() }, conversations, split: { train, valid, test } };
}
