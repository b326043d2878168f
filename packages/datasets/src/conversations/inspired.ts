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
  const catalogue = new TitleCatalogue();
  const finalNewline = options.requireFinalNewline ?? true;
  if (options.movies) await readMovieDatabase(options.movies, catalogue, finalNewline);
  const conversations: Conversation[] = [];
  const readAll = async (files: string | string[] | undefined): Promise<number[]> => {
    const out: number[] = [];
    for (const file of typeof files === 'string' ? [files] : (files ?? [])) {
      for (const c of await readDialogueFile(file, catalogue, finalNewline)) out.push(conversations.push(c) - 1);
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
  const ids = catalogue.ids;
  return { name: options.name ?? 'inspired', items: { ids, titles: ids.slice() }, conversations, split: { train, valid, test } };
}

/** Item ids by normalised title, in order of first appearance. */
class TitleCatalogue {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  itemOf(title: string): number {
    let i = this.index.get(title);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(title, i);
      this.ids.push(title);
    }
    return i;
  }
}

async function ended(file: string, last: number, finalNewline: boolean): Promise<void> {
  if (finalNewline) await assertEndsWithNewline(file, last, 'the file looks cut short; pass requireFinalNewline: false if it is complete');
}

/** Tab-separated rows after the header, each checked against the header's width; blank lines skipped. */
async function* tsvRows(file: string): AsyncGenerator<{ header: string[]; cells: string[]; line: number }> {
  let header: string[] = [];
  for await (const { text, line } of readLines(file)) {
    const cells = text.split('\t');
    if (line === 1) header = cells;
    else if (text.trim() !== '') {
      if (cells.length !== header.length) parseError(`expected ${header.length} tab-separated fields, found ${cells.length}`, file, line);
      yield { header, cells, line };
      continue;
    }
    yield { header, cells: [], line };
  }
}

async function readMovieDatabase(file: string, catalogue: TitleCatalogue, finalNewline: boolean): Promise<void> {
  let last = 0;
  let titleCol = -1;
  for await (const { header, cells, line } of tsvRows(file)) {
    last = line;
    if (line === 1) {
      titleCol = header.indexOf('title');
      if (titleCol < 0) parseError('no "title" column', file, line, 'title');
    }
    if (cells.length === 0) continue;
    const title = normalizeTitle(cells[titleCol]);
    if (title === '') parseError('empty title', file, line, 'title');
    catalogue.itemOf(title);
  }
  await ended(file, last, finalNewline);
}

async function readDialogueFile(file: string, catalogue: TitleCatalogue, finalNewline: boolean): Promise<Conversation[]> {
  const out: Conversation[] = [];
  let col: Record<string, number> = {};
  let current: Conversation | undefined;
  let lastRole: string | undefined;
  const closed = new Set<string>();
  let last = 0;
  for await (const { header, cells, line } of tsvRows(file)) {
    last = line;
    if (line === 1) {
      col = Object.fromEntries(header.map((c, k) => [c.trim(), k]));
      for (const name of REQUIRED) if (col[name] === undefined) parseError(`no "${name}" column`, file, line, name);
    }
    if (cells.length === 0) continue;
    const row = parseRow(cells, col, file, line);
    if (!current || current.id !== row.dialog) {
      if (current) closed.add(current.id);
      if (closed.has(row.dialog)) parseError(`dialogue "${row.dialog}" continues after another one started`, file, line, 'dialog_id');
      current = { id: row.dialog, turns: [] };
      out.push(current);
      lastRole = undefined;
    }
    addUtterance(current, row.role === lastRole, row.role, row.utterance, row.titles.map((t) => catalogue.itemOf(t)));
    lastRole = row.role;
  }
  if (!current) fileError('E_EMPTY', 'no dialogues in file', file);
  await ended(file, last, finalNewline);
  return out;
}

function parseRow(cells: string[], col: Record<string, number>, file: string, line: number) {
  const dialog = cells[col.dialog_id];
  const speaker = cells[col.speaker];
  if (dialog === '') parseError('empty dialog_id', file, line, 'dialog_id');
  if (speaker !== 'SEEKER' && speaker !== 'RECOMMENDER') parseError(`speaker must be SEEKER or RECOMMENDER, got "${speaker}"`, file, line, 'speaker');
  const role: ConversationTurn['role'] = speaker === 'SEEKER' ? 'seeker' : 'recommender';
  const utterance = cells[col.text].replace(/QUOTATION_MARK/g, '"').trim();
  return { dialog, role, utterance, titles: splitTitles(cells[col.movies]) };
}

/** Consecutive utterances of one speaker form one turn. */
function addUtterance(conversation: Conversation, sameSpeaker: boolean, role: ConversationTurn['role'], utterance: string, items: number[]): void {
  if (sameSpeaker) {
    const turn = conversation.turns[conversation.turns.length - 1];
    turn.text = [turn.text, utterance].filter(Boolean).join(' ');
    for (const i of items) if (!turn.items.includes(i)) (turn.items as number[]).push(i);
  } else {
    conversation.turns.push({ role, text: utterance, items: [...new Set(items)] } as ConversationTurn);
  }
}
