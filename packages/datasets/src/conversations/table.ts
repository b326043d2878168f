import { LmrecError } from '@lmrec/core';
import type { Conversation, ConversationDataset, ConversationTurn } from './types.js';
import { readTable, type TableSource } from '../loaders/generic.js';
import { normalizeTitle } from '../util/csv.js';
import { parseError, fileError } from '../util/fail.js';
import { parsePythonLiteral } from '../util/pyliteral.js';
import { readJsonStrict } from '../util/text.js';
import { splitConversations } from '../splits/conversations.js';

export interface ConversationTableOptions extends TableSource {
  columns: {
    conversation: string;
    /** Column telling the speaker: values in `seekerValues` are the seeker, anything else the recommender. */
    role: string;
    text: string;
    /** Item ids mentioned in the row: a JSON / Python list, or ids separated by `itemSeparator`. */
    items: string;
  };
  seekerValues?: string[];
  itemSeparator?: string;
  /** JSON object item id -> name (Reddit-Movie's `id2name.json`); the catalogue is every entry. */
  id2name: string;
  ratios?: [number, number, number];
  seed?: number;
  name?: string;
}

function parseList(cell: string, separator: string, file: string, line: number, field: string): string[] {
  const trimmed = cell.trim();
  if (trimmed === '' || trimmed === '[]') return [];
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      try {
        value = parsePythonLiteral(trimmed);
      } catch (error) {
        parseError(`not a list: ${(error as Error).message}`, file, line, field);
      }
    }
    if (!Array.isArray(value)) parseError('not a list', file, line, field);
    return (value as unknown[]).map((v) => String(v).trim()).filter(Boolean);
  }
  return trimmed.split(separator).map((s) => s.trim()).filter(Boolean);
}

/**
 * Conversations stored one utterance per row (csv/tsv/jsonl) with an item
 * id list per row and an id -> name map: the Reddit-Movie layout (He et al.
 * 2023) and similar dumps. Rows of a conversation are contiguous and in
 * order; consecutive rows of one role form one turn. Split by conversation
 * (seeded) since the files carry no split of their own.
 */
export async function loadConversationTable(options: ConversationTableOptions): Promise<ConversationDataset> {
  const names = (await readJsonStrict(options.id2name)) as Record<string, unknown>;
  if (typeof names !== 'object' || names === null || Array.isArray(names)) fileError('E_PARSE', 'id2name must be a JSON object', options.id2name);
  const ids = Object.keys(names);
  const titles = ids.map((id) => {
    const name = names[id];
    if (typeof name !== 'string' || normalizeTitle(name) === '') throw new LmrecError('E_PARSE', `name of "${id}" must be a non-empty string`, { file: options.id2name, field: id });
    return normalizeTitle(name as string);
  });
  const index = new Map(ids.map((id, i) => [id, i]));
  const seeker = new Set(options.seekerValues ?? ['1', 'true', 'True', 'seeker', 'SEEKER', 'user']);
  const c = options.columns;
  const conversations: Conversation[] = [];
  const closed = new Set<string>();
  let current: Conversation | undefined;
  let lastRole: string | undefined;
  for await (const { get, line } of readTable(options, [c.conversation, c.role, c.text, c.items])) {
    const conv = String(get(c.conversation, 'conversation'));
    if (!current || current.id !== conv) {
      if (current) closed.add(current.id);
      if (closed.has(conv)) parseError(`conversation "${conv}" continues after another one started`, options.file, line, c.conversation);
      current = { id: conv, turns: [] };
      conversations.push(current);
      lastRole = undefined;
    }
    const role = seeker.has(String(get(c.role, 'role'))) ? 'seeker' : 'recommender';
    const text = String(get(c.text, 'text')).trim();
    const items = parseList(String(get(c.items, 'items')), options.itemSeparator ?? '|', options.file, line, c.items).map((id) => {
      const i = index.get(id);
      if (i === undefined) throw new LmrecError('E_UNRESOLVED', `item "${id}" is not in ${options.id2name}`, { file: options.file, line, field: c.items });
      return i;
    });
    if (role === lastRole) {
      const turn = current.turns[current.turns.length - 1];
      turn.text = [turn.text, text].filter(Boolean).join(' ');
      for (const i of items) if (!turn.items.includes(i)) (turn.items as number[]).push(i);
    } else {
      current.turns.push({ role, text, items: [...new Set(items)] } as ConversationTurn);
      lastRole = role;
    }
  }
  const split = splitConversations(conversations.length, { ratios: options.ratios, seed: options.seed });
  return { name: options.name ?? 'conversations', items: { ids, titles }, conversations, split };
}

/**
 * Reddit-Movie (He et al., "Large Language Models as Zero-Shot
 * Conversational Recommenders", CIKM 2023) with the column names below as
 * defaults; every name can be overridden since releases differ.
 */
export function loadRedditMovie(options: Omit<ConversationTableOptions, 'columns'> & { columns?: Partial<ConversationTableOptions['columns']> }): Promise<ConversationDataset> {
  return loadConversationTable({
    ...options,
    columns: { conversation: 'conv_id', role: 'is_seeker', text: 'text', items: 'movies', ...options.columns },
    name: options.name ?? 'reddit-movie',
  });
}
