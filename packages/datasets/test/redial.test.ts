import { describe, expect, it } from 'vitest';
import { LmrecError } from '@lmrec/core';
import { loadRedial, toCrsExamples } from '../src/index.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();
const movies = write(dir, 'movies.csv', 'movieId,movieName,nbMentions\n10,Alien  (1979),3\n20,"Crouching Tiger, Hidden Dragon (2000)",1\n30,Heat (1995),2\n');

function record(overrides: Record<string, unknown> = {}) {
  return {
    conversationId: '7',
    initiatorWorkerId: 1,
    respondentWorkerId: 2,
    movieMentions: { '10': 'Alien (1979)', '20': 'Crouching Tiger', '30': 'Heat' },
    initiatorQuestions: { '10': { suggested: 0, seen: 1, liked: 1 }, '20': { suggested: 1, seen: 0, liked: 0 } },
    respondentQuestions: { '20': { suggested: 1, seen: 0, liked: 1 }, '30': { suggested: 1, seen: 2, liked: 1 } },
    messages: [
      { messageId: 1, senderWorkerId: 1, text: 'hi, I loved @10' },
      { messageId: 2, senderWorkerId: 1, text: 'anything similar?' },
      { messageId: 3, senderWorkerId: 2, text: 'try @20 or @30' },
      { messageId: 4, senderWorkerId: 2, text: 'or again @30' },
      { messageId: 5, senderWorkerId: 1, text: 'seen @10 twice, thanks' },
      { messageId: 6, senderWorkerId: 2, text: 'then @10 again' },
    ],
    ...overrides,
  };
}

describe('loadRedial', () => {
  it('merges same-sender messages, renders titles, resolves items and liked', async () => {
    const conv = write(dir, 'a.jsonl', JSON.stringify(record()) + '\n');
    const ds = await loadRedial({ movies, test: conv });
    expect(ds.items.ids).toEqual(['10', '20', '30']);
    expect(ds.items.titles).toEqual(['Alien (1979)', 'Crouching Tiger, Hidden Dragon (2000)', 'Heat (1995)']);
    expect(ds.split).toEqual({ train: [], valid: [], test: [0] });
    const turns = ds.conversations[0].turns;
    expect(turns.map((t) => t.role)).toEqual(['seeker', 'recommender', 'seeker', 'recommender']);
    expect(turns[0]).toEqual({ role: 'seeker', text: 'hi, I loved Alien (1979) anything similar?', items: [0], liked: [0] });
    // 20: the seeker said not liked (initiator answers win); 30: only the respondent form says liked.
    expect(turns[1]).toEqual({ role: 'recommender', text: 'try Crouching Tiger, Hidden Dragon (2000) or Heat (1995) or again Heat (1995)', items: [1, 2], liked: [2] });
    expect(turns[2].items).toEqual([0]);
  });

  it('yields one example per (recommender turn x distinct item), with context and history', async () => {
    const conv = write(dir, 'b.jsonl', JSON.stringify(record()));
    const ds = await loadRedial({ movies, train: conv });
    const ex = toCrsExamples(ds, [0]);
    expect(ex.map((e) => [e.turnIndex, e.target])).toEqual([
      [1, 1],
      [1, 2],
      [3, 0],
    ]);
    expect(Array.from(ex[0].history)).toEqual([0]);
    expect(ex[0].context).toEqual([{ role: 'seeker', text: 'hi, I loved Alien (1979) anything similar?', items: [0] }]);
    // history = mentions of turns 0..2 in order, repeats kept: 0 | 1 2 | 0
    expect(Array.from(ex[2].history)).toEqual([0, 1, 2, 0]);
    expect(ex[2].context).toHaveLength(3);
    expect(Array.from(toCrsExamples(ds, [0], { maxHistory: 2 })[2].history)).toEqual([2, 0]);
    expect(ex[2].id).toBe('7:3:0');
  });

  it('reports unresolved mentions, bad senders and bad JSON with file, line and field', async () => {
    const good = JSON.stringify(record({ conversationId: '1' }));
    const badMention = record({ conversationId: '2' });
    (badMention.messages as any[])[2] = { messageId: 3, senderWorkerId: 2, text: 'try @99' };
    const f1 = write(dir, 'c.jsonl', `${good}\n${JSON.stringify(badMention)}\n`);
    const e1 = await caught(() => loadRedial({ movies, train: f1 }));
    expect(e1).toBeInstanceOf(LmrecError);
    expect([e1.file, e1.line, e1.field]).toEqual([f1, 2, 'messages[2].text']);

    const badSender = record();
    (badSender.messages as any[])[4].senderWorkerId = 3;
    const f2 = write(dir, 'd.jsonl', JSON.stringify(badSender));
    const e2 = await caught(() => loadRedial({ movies, train: f2 }));
    expect([e2.line, e2.field]).toEqual([1, 'messages[4].senderWorkerId']);

    const f3 = write(dir, 'e.jsonl', `${good}\n${good.slice(0, 40)}\n`);
    const e3 = await caught(() => loadRedial({ movies, train: f3 }));
    expect([e3.code, e3.line]).toEqual(['E_PARSE', 2]);

    const f4 = write(dir, 'f.jsonl', `${good}\n${good}\n`);
    const e4 = await caught(() => loadRedial({ movies, train: f4 }));
    expect([e4.line, e4.field]).toEqual([2, 'conversationId']);

    const f5 = write(dir, 'g.jsonl', '');
    expect((await caught(() => loadRedial({ movies, train: f5 }))).code).toBe('E_EMPTY');

    const m2 = write(dir, 'm2.csv', 'movieId,movieName,nbMentions\n10,Alien,3\n10,Again,1\n');
    const e6 = await caught(() => loadRedial({ movies: m2, train: f1 }));
    expect([e6.file, e6.line, e6.field]).toEqual([m2, 3, 'movieId']);
  });

  it('a cut-off gzip file is an error, never a shorter dataset', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify(record({ conversationId: String(i) }))).join('\n');
    const full = write(dir, 'full.jsonl.gz', lines);
    const bytes = readFileSync(full);
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await loadRedial({ movies, test: full })).conversations).toHaveLength(200);
    const e = await caught(() => loadRedial({ movies, test: cut }));
    expect(e).toBeInstanceOf(LmrecError);
    expect(e.file).toBe(cut);
  });

  it('splits pooled files by conversation with a seed', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify(record({ conversationId: String(i) }))).join('\n');
    const f = write(dir, 'pool.jsonl.gz', lines);
    const a = await loadRedial({ movies, files: f, seed: 3 });
    const b = await loadRedial({ movies, files: f, seed: 3 });
    expect(a.split).toEqual(b.split);
    expect([a.split.train.length, a.split.valid.length, a.split.test.length]).toEqual([16, 2, 2]);
    expect([...a.split.train, ...a.split.valid, ...a.split.test].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
