import { readJsonLines, LmrecError } from '@lmrec/core';
import { readCatalogueCsv, restrictToMentioned, type Catalogue } from './catalogue.js';
import type { Conversation, ConversationDataset, ConversationTurn } from './types.js';
import { parseError, fileError } from '../util/fail.js';
import { splitConversations } from '../splits/conversations.js';

export interface RedialOptions {
  /** `movies_with_mentions.csv`: the catalogue (every movie in it is an item). */
  movies: string;
  /** Conversation files (JSON lines, optionally .gz) per split. */
  train?: string | string[];
  valid?: string | string[];
  test?: string | string[];
  /** Files without a split of their own: split by conversation with `ratios` and `seed`. */
  files?: string | string[];
  ratios?: [number, number, number];
  seed?: number;
  name?: string;
  /**
   * 'merge' (default): consecutive messages of one sender form one turn, as
   * CRSLab does. 'message': every message is its own turn (the official RTA
   * code's examples, one per recommender message).
   */
  turns?: RedialTurns;
  /**
   * 'file' (default): every movie of the movies file is an item, in file
   * order. 'mentioned': only movies mentioned in a message of the loaded
   * conversations, item id = rank of ascending movieId (the official RTA
   * catalogue: 2,647 items on redial_lexical's conversations).
   */
  catalogue?: 'file' | 'mentioned';
}

export type RedialTurns = 'merge' | 'message';

type Json = Record<string, unknown>;

const MENTION = /@(\d+)/g;

/**
 * ReDIAL (Li et al. 2018) raw JSON lines. The seeker is `initiatorWorkerId`,
 * the recommender `respondentWorkerId`. Consecutive messages of one sender
 * form one turn (joined by a space), as CRSLab does, unless `turns:
 * 'message'` (the official RTA examples) keeps each message. `@<id>`
 * mentions resolve through the movies file to dense item ids and are
 * rendered as the movie title in `text`; a turn's `items` are its distinct
 * mentions in order. `liked` lists the turn's items the seeker liked
 * (initiatorQuestions, falling back to respondentQuestions).
 */
export async function loadRedial(options: RedialOptions): Promise<ConversationDataset> {
  const turns = options.turns ?? 'merge';
  if (turns !== 'merge' && turns !== 'message') throw new LmrecError('E_ARGUMENT', `turns must be "merge" or "message", got ${JSON.stringify(turns)}`, { field: 'turns' });
  const mode = options.catalogue ?? 'file';
  if (mode !== 'file' && mode !== 'mentioned') throw new LmrecError('E_ARGUMENT', `catalogue must be "file" or "mentioned", got ${JSON.stringify(mode)}`, { field: 'catalogue' });
  // ReDIAL movie ids are positive integers: only those can be mentioned (`@<digits>`).
  const catalogue = await readCatalogueCsv(options.movies, 'movieId', 'movieName', /^[1-9]\d{0,14}$/);
  const conversations: Conversation[] = [];
  const seen = new Map<string, string>();
  const readAll = async (files: string | string[] | undefined): Promise<number[]> => {
    const indices: number[] = [];
    for (const file of typeof files === 'string' ? [files] : (files ?? [])) {
      let count = 0;
      for await (const { value, line } of readJsonLines<unknown>(file)) {
        const conversation = parseRedialRecord(value, catalogue, file, line, { turns });
        const where = `${file}:${line}`;
        if (seen.has(conversation.id)) parseError(`duplicate conversationId "${conversation.id}" (also at ${seen.get(conversation.id)})`, file, line, 'conversationId');
        seen.set(conversation.id, where);
        indices.push(conversations.length);
        conversations.push(conversation);
        count++;
      }
      if (count === 0) fileError('E_EMPTY', 'no conversations in file', file);
    }
    return indices;
  };
  const train = await readAll(options.train);
  const valid = await readAll(options.valid);
  const test = await readAll(options.test);
  const pooled = await readAll(options.files);
  if (conversations.length === 0) {
    throw new LmrecError('E_ARGUMENT', 'no conversation files given', { hint: 'pass train/valid/test or files' });
  }
  if (pooled.length > 0) {
    const extra = splitConversations(pooled.length, { ratios: options.ratios, seed: options.seed });
    train.push(...extra.train.map((i) => pooled[i]));
    valid.push(...extra.valid.map((i) => pooled[i]));
    test.push(...extra.test.map((i) => pooled[i]));
  }
  const items = mode === 'mentioned' ? restrictToMentioned(catalogue, conversations) : { ids: catalogue.ids, titles: catalogue.titles };
  return { name: options.name ?? 'redial', items, conversations, split: { train, valid, test } };
}

/** One ReDIAL record -> Conversation; every malformed field is reported with file, line and field. */
export function parseRedialRecord(value: unknown, catalogue: Catalogue, file: string, line: number, options: { turns?: RedialTurns } = {}): Conversation {
  const merge = (options.turns ?? 'merge') === 'merge';
  const fail = (message: string, field?: string): never => parseError(message, file, line, field);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('a conversation line must be a JSON object');
  const record = value as Json;
  const id = record.conversationId;
  if (typeof id !== 'string' && typeof id !== 'number') fail('missing conversationId', 'conversationId');
  const seeker = record.initiatorWorkerId;
  const recommender = record.respondentWorkerId;
  if (typeof seeker !== 'number') fail('missing or non-numeric initiatorWorkerId', 'initiatorWorkerId');
  if (typeof recommender !== 'number') fail('missing or non-numeric respondentWorkerId', 'respondentWorkerId');
  if (seeker === recommender) fail('seeker and recommender are the same worker', 'respondentWorkerId');
  const mentions = record.movieMentions ?? {};
  if (typeof mentions !== 'object' || mentions === null || Array.isArray(mentions)) fail('movieMentions must be an object', 'movieMentions');
  for (const key of Object.keys(mentions as Json)) {
    if (!catalogue.index.has(key)) fail(`movie id "${key}" is not in ${catalogue.file ?? 'the movies file'}`, `movieMentions.${key}`);
  }
  const liked = new Set<number>();
  const answered = new Set<number>();
  for (const field of ['initiatorQuestions', 'respondentQuestions'] as const) {
    const questions = record[field];
    if (questions === undefined || (Array.isArray(questions) && questions.length === 0)) continue;
    if (typeof questions !== 'object' || questions === null || Array.isArray(questions)) fail(`${field} must be an object`, field);
    for (const [key, answer] of Object.entries(questions as Json)) {
      const item = catalogue.index.get(key);
      if (item === undefined) fail(`movie id "${key}" is not in ${catalogue.file ?? 'the movies file'}`, `${field}.${key}`);
      if (typeof answer !== 'object' || answer === null) fail('answer must be an object', `${field}.${key}`);
      const likedValue = (answer as Json).liked;
      if (likedValue !== 0 && likedValue !== 1 && likedValue !== 2) fail(`liked must be 0, 1 or 2, got ${JSON.stringify(likedValue)}`, `${field}.${key}.liked`);
      // The seeker's own answers win; the recommender's form fills the gaps.
      if (answered.has(item!)) continue;
      answered.add(item!);
      if (likedValue === 1) liked.add(item!);
    }
  }
  const messages = record.messages;
  if (!Array.isArray(messages)) fail('messages must be an array', 'messages');
  const turns: ConversationTurn[] = [];
  let last: number | undefined;
  (messages as unknown[]).forEach((message, m) => {
    if (typeof message !== 'object' || message === null) fail('message must be an object', `messages[${m}]`);
    const { text, senderWorkerId } = message as Json;
    if (typeof text !== 'string') fail('message text must be a string', `messages[${m}].text`);
    if (senderWorkerId !== seeker && senderWorkerId !== recommender) {
      fail(`sender ${JSON.stringify(senderWorkerId)} is neither the seeker nor the recommender`, `messages[${m}].senderWorkerId`);
    }
    const items: number[] = [];
    const rendered = (text as string).replace(MENTION, (_all, movieId: string) => {
      const item = catalogue.index.get(movieId);
      if (item === undefined) fail(`mention @${movieId} is not in ${catalogue.file ?? 'the movies file'}`, `messages[${m}].text`);
      items.push(item!);
      return catalogue.titles[item!];
    });
    if (merge && senderWorkerId === last) {
      const turn = turns[turns.length - 1];
      turn.text = turn.text === '' ? rendered : rendered === '' ? turn.text : `${turn.text} ${rendered}`;
      for (const item of items) if (!turn.items.includes(item)) (turn.items as number[]).push(item);
    } else {
      turns.push({ role: senderWorkerId === seeker ? 'seeker' : 'recommender', text: rendered, items: [...new Set(items)] });
      last = senderWorkerId as number;
    }
  });
  for (const turn of turns) {
    const likedHere = turn.items.filter((item) => liked.has(item));
    if (likedHere.length > 0) turn.liked = likedHere;
  }
  return { id: String(id), seeker: String(seeker), turns };
}
