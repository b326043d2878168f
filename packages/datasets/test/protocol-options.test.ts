import { describe, expect, it } from 'vitest';
import { LmrecError } from '@lmrec/core';
import { loadRedial, redialLexicalSplit, toCrsExamples, type ConversationDataset } from '../src/index.js';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();
const movies = write(dir, 'movies.csv', 'movieId,movieName,nbMentions\n30,Heat (1995),2\n55,Unmentioned (2001),1\n10,Alien  (1979),3\n20,Ronin (1998),1\n');

/** Seeker 1, recommender 2; items by movieId: @10, @20, @30. */
function record(id = '7', extra: Record<string, unknown> = {}) {
  return {
    conversationId: id,
    initiatorWorkerId: 1,
    respondentWorkerId: 2,
    movieMentions: { '10': 'Alien', '20': 'Ronin', '30': 'Heat', '55': 'Unmentioned' },
    initiatorQuestions: { '10': { suggested: 0, seen: 1, liked: 1 }, '55': { suggested: 0, seen: 1, liked: 1 } },
    respondentQuestions: { '30': { suggested: 1, seen: 0, liked: 1 } },
    messages: [
      { messageId: 1, senderWorkerId: 1, text: 'hi, I loved @10' },
      { messageId: 2, senderWorkerId: 1, text: 'anything similar?' },
      { messageId: 3, senderWorkerId: 2, text: 'try @20 or @30' },
      { messageId: 4, senderWorkerId: 2, text: 'or again @30' },
      { messageId: 5, senderWorkerId: 1, text: 'seen @10 twice' },
      { messageId: 6, senderWorkerId: 2, text: 'then @10 again' },
    ],
    ...extra,
  };
}
const conv = write(dir, 'conv.jsonl', JSON.stringify(record()) + '\n');
const summary = (ds: ConversationDataset, options = {}) => toCrsExamples(ds, [0], options).map((e) => [e.turnIndex, e.target, Array.from(e.history)]);

describe('ReDIAL turns: merged (default) or one per message (official)', () => {
  it('message turns keep every message; examples follow each recommender message', async () => {
    const merged = await loadRedial({ movies, test: conv });
    const perMessage = await loadRedial({ movies, test: conv, turns: 'message' });
    expect(merged.conversations[0].turns.map((t) => t.role)).toEqual(['seeker', 'recommender', 'seeker', 'recommender']);
    expect(perMessage.conversations[0].turns.map((t) => [t.role, t.text])).toEqual([
      ['seeker', 'hi, I loved Alien (1979)'],
      ['seeker', 'anything similar?'],
      ['recommender', 'try Ronin (1998) or Heat (1995)'],
      ['recommender', 'or again Heat (1995)'],
      ['seeker', 'seen Alien (1979) twice'],
      ['recommender', 'then Alien (1979) again'],
    ]);
    // File-order catalogue: 30 -> 0, 55 -> 1, 10 -> 2, 20 -> 3.
    expect(summary(merged)).toEqual([
      [1, 3, [2]],
      [1, 0, [2]],
      [3, 2, [2, 3, 0, 2]],
    ]);
    expect(summary(perMessage)).toEqual([
      [2, 3, [2]],
      [2, 0, [2]],
      [3, 0, [2, 3, 0]],
      [5, 2, [2, 3, 0, 0, 2]],
    ]);
    expect(perMessage.conversations[0].turns[2].liked).toEqual([0]);
  });

  it('rejects unknown values', async () => {
    const e = await caught(() => loadRedial({ movies, test: conv, turns: 'merged' as never }));
    expect([e.code, e.field]).toEqual(['E_ARGUMENT', 'turns']);
    const e2 = await caught(() => loadRedial({ movies, test: conv, catalogue: 'all' as never }));
    expect([e2.code, e2.field]).toEqual(['E_ARGUMENT', 'catalogue']);
  });
});

describe('ReDIAL catalogue: the movies file (default) or the mentioned movies by ascending movieId (official)', () => {
  it('keeps only movies some message mentions, renumbered numerically, with items and liked remapped', async () => {
    const ds = await loadRedial({ movies, test: conv, catalogue: 'mentioned' });
    // 55 is in movieMentions and the questions but in no message text: not an item.
    expect(ds.items).toEqual({ ids: ['10', '20', '30'], titles: ['Alien (1979)', 'Ronin (1998)', 'Heat (1995)'] });
    const turns = ds.conversations[0].turns;
    expect(turns.map((t) => t.items)).toEqual([[0], [1, 2], [0], [0]]);
    expect(turns.map((t) => t.liked)).toEqual([[0], [2], [0], [0]]);
    // Numeric, not lexicographic, order: 9 < 10 < 100.
    const m2 = write(dir, 'm2.csv', 'movieId,movieName,nbMentions\n100,C,1\n10,B,1\n9,A,1\n');
    const c2 = write(dir, 'c2.jsonl', JSON.stringify({ ...record(), movieMentions: {}, initiatorQuestions: {}, respondentQuestions: {}, messages: [{ senderWorkerId: 2, text: '@100 @9 @10 @9' }] }) + '\n');
    const ds2 = await loadRedial({ movies: m2, test: c2, catalogue: 'mentioned' });
    expect(ds2.items.ids).toEqual(['9', '10', '100']);
    expect(ds2.conversations[0].turns[0].items).toEqual([2, 0, 1]);
  });

  it('covers every loaded split', async () => {
    const a = write(dir, 'a.jsonl', JSON.stringify(record('1', { messages: [{ senderWorkerId: 2, text: '@30' }] })) + '\n');
    const b = write(dir, 'b.jsonl', JSON.stringify(record('2', { messages: [{ senderWorkerId: 2, text: '@20' }] })) + '\n');
    const ds = await loadRedial({ movies, train: a, test: b, catalogue: 'mentioned' });
    expect(ds.items.ids).toEqual(['20', '30']);
    expect(ds.conversations.map((c) => c.turns[0].items)).toEqual([[1], [0]]);
  });
});

describe('toCrsExamples history and targets', () => {
  it("history 'distinct' keeps first mentions in order; maxHistory cuts the distinct list", async () => {
    const ds = await loadRedial({ movies, test: conv, turns: 'message', catalogue: 'mentioned' });
    // Items: 10 -> 0, 20 -> 1, 30 -> 2. Mentions in order: 0 | 1 2 | 2 | 0 | 0.
    expect(summary(ds)).toEqual([
      [2, 1, [0]],
      [2, 2, [0]],
      [3, 2, [0, 1, 2]],
      [5, 0, [0, 1, 2, 2, 0]],
    ]);
    expect(summary(ds, { history: 'distinct' })).toEqual([
      [2, 1, [0]],
      [2, 2, [0]],
      [3, 2, [0, 1, 2]],
      [5, 0, [0, 1, 2]],
    ]);
    expect(summary(ds, { history: 'distinct', maxHistory: 2 }).map((e) => e[2])).toEqual([[0], [0], [1, 2], [1, 2]]);
  });

  it("targetsInHistory 'drop' removes targets mentioned earlier in the conversation", async () => {
    const ds = await loadRedial({ movies, test: conv, turns: 'message', catalogue: 'mentioned' });
    expect(summary(ds, { targetsInHistory: 'drop' })).toEqual([
      [2, 1, [0]],
      [2, 2, [0]],
    ]);
    expect(summary(ds, { targetsInHistory: 'keep' })).toEqual(summary(ds));
    for (const [key, value] of [['history', 'unique'], ['targetsInHistory', 'exclude']]) {
      const e = await caught(() => toCrsExamples(ds, [0], { [key]: value }));
      expect([e.code, e.field]).toEqual(['E_ARGUMENT', key]);
    }
  });
});

describe('redialLexicalSplit', () => {
  it('moves the lowest-id test conversations to train and orders every part by id', () => {
    const ids = ['30', '4', '12', '7', '100', '2'];
    const ds = { conversations: ids.map((id) => ({ id })), split: { train: [0, 1], valid: [2], test: [3, 4, 5] } };
    // test by id: 2 (index 5), 7 (3), 100 (4); train by id: 4 (1), 30 (0).
    expect(redialLexicalSplit(ds, { fromTest: 2 })).toEqual({ train: [1, 0, 5, 3], valid: [2], test: [4] });
    expect(redialLexicalSplit(ds, { fromTest: 0 })).toEqual({ train: [1, 0], valid: [2], test: [5, 3, 4] });
    const words = { conversations: ['b', 'a', 'c'].map((id) => ({ id })), split: { train: [], valid: [], test: [0, 1, 2] } };
    expect(redialLexicalSplit(words, { fromTest: 1 })).toEqual({ train: [1], valid: [], test: [0, 2] });
    expect(() => redialLexicalSplit(ds, { fromTest: 4 })).toThrow(LmrecError);
    expect(() => redialLexicalSplit(ds)).toThrow(/fromTest must be an integer in 0..3/);
  });
});
