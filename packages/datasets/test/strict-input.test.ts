import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { Csr } from '@lmrec/core';
import {
  loadAmazon,
  loadInspired,
  loadInteractionTable,
  loadMovieLens,
  loadRecBole,
  loadRedial,
  loadRedditMovie,
  loadSplit,
  readCatalogueCsv,
  saveSplit,
} from '../src/index.js';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
/** Gzip of `text` with its last `cut` bytes (CRC + size trailer, then data) removed. */
const cutGzip = (text: string, cut = 6) => {
  const gz = gzipSync(text);
  return gz.subarray(0, gz.length - cut);
};
const MOVIES = 'movieId,movieName,nbMentions\n111,Heat (1995),3\n222,Alien (1979),2\n';
const conversation = (id: number) =>
  JSON.stringify({
    conversationId: String(id),
    initiatorWorkerId: 1,
    respondentWorkerId: 2,
    messages: [
      { text: 'any heist film?', senderWorkerId: 1, messageId: 1 },
      { text: 'try @111', senderWorkerId: 2, messageId: 2 },
    ],
    movieMentions: { '111': 'Heat (1995)' },
    initiatorQuestions: {},
    respondentQuestions: {},
  });

describe('non-UTF-8 input is E_ENCODING naming the file (never U+FFFD)', () => {
  it('id -> name JSON (Reddit-Movie): file, line and byte offset', async () => {
    const names = write(dir, 'enc/id2name.json', bytes('{"tt1": "Heat (1995)",\n "tt2": "Al', [0xe9], 'en"}\n'));
    const f = write(dir, 'enc/conv.csv', 'conv_id,is_seeker,text,movies\nc1,1,hi,[]\n');
    const e = await caught(() => loadRedditMovie({ file: f, id2name: names }));
    expect([e.code, e.file, e.line]).toEqual(['E_ENCODING', names, 2]);
    expect(e.message).toContain('byte offset 34');
  });

  it('split.json', async () => {
    const splitDir = join(dir, 'enc/split');
    const empty = Csr.fromCoo(2, 2, [], []);
    await saveSplit(splitDir, { nUsers: 2, nItems: 2, train: Csr.fromCoo(2, 2, [0, 1], [0, 1]), valid: empty, test: empty }, { note: 'x' });
    const manifest = join(splitDir, 'split.json');
    const [head, tail] = readFileSync(manifest, 'utf8').split('"x"');
    // The note's value becomes a lone continuation byte: strict decoding refuses it.
    writeFileSync(manifest, bytes(head, '"', [0x80], '"', tail));
    const e = await caught(() => loadSplit(splitDir));
    expect([e.code, e.file]).toEqual(['E_ENCODING', manifest]);
  });

  it('a MovieLens ratings.csv header', async () => {
    const d = join(dir, 'enc/ml');
    write(d, 'movies.csv', 'movieId,title,genres\n1,Heat (1995),Crime\n');
    write(d, 'ratings.csv', bytes('userId,movieId,rating,timestam', [0xff], '\n1,1,4.0,10\n'));
    const e = await caught(() => loadMovieLens({ dir: d }));
    expect([e.code, e.file, e.line]).toEqual(['E_ENCODING', join(d, 'ratings.csv'), 1]);
  });

  it('csv, jsonl and gz tables, catalogues, conversations and Amazon files (line given)', async () => {
    const cases: [string, () => Promise<unknown>, number][] = [];
    const csv = write(dir, 'enc/t.csv', bytes('u,i\na,b\nc,', [0xc3, 0x28], '\n'));
    cases.push([csv, () => loadInteractionTable({ file: csv, columns: { user: 'u', item: 'i' } }), 3]);
    const jl = write(dir, 'enc/t.jsonl', bytes('{"u":"a","i":"b"}\n{"u":"', [0xed, 0xa0, 0x80], '","i":"b"}\n'));
    cases.push([jl, () => loadInteractionTable({ file: jl, columns: { user: 'u', item: 'i' } }), 2]);
    const gz = write(dir, 'enc/t.csv.gz', bytes('u,i\na,b\n', [0xfe], ',b\n'));
    cases.push([gz, () => loadInteractionTable({ file: gz, columns: { user: 'u', item: 'i' } }), 3]);
    const movies = write(dir, 'enc/movies.csv', bytes('movieId,movieName,nbMentions\n111,Heat', [0xa0], ' (1995),3\n'));
    cases.push([movies, () => readCatalogueCsv(movies, 'movieId', 'movieName'), 2]);
    const goodMovies = write(dir, 'enc/movies-ok.csv', MOVIES);
    const [before, after] = conversation(2).split('any');
    const conv = write(dir, 'enc/conv.jsonl.gz', bytes(conversation(1), '\n', before, 'an', [0xff], after, '\n'));
    cases.push([conv, () => loadRedial({ movies: goodMovies, test: conv }), 2]);
    const tsv = write(dir, 'enc/test.tsv', bytes('dialog_id\tspeaker\ttext\tmovies\nd1\tSEEKER\thi ', [0xc0, 0xaf], '\t\n'));
    cases.push([tsv, () => loadInspired({ test: tsv }), 2]);
    const rb = write(dir, 'enc/rb/x.inter', bytes('user_id:token\titem_id:token\n1\t', [0x92], '\n'));
    cases.push([rb, () => loadRecBole({ dir: join(dir, 'enc/rb'), dataset: 'x' }), 2]);
    const reviews = write(dir, 'enc/reviews.json', bytes('{"reviewerID": "A', [0xff], '", "asin": "B1", "overall": 5, "unixReviewTime": 1}\n'));
    const meta = write(dir, 'enc/meta.json', '{"asin": "B1", "title": "x"}\n');
    cases.push([reviews, () => loadAmazon({ reviews, meta }), 1]);
    for (const [file, load, line] of cases) {
      const e = await caught(load);
      expect([e.code, e.file, e.line], file).toEqual(['E_ENCODING', file, line]);
    }
  });
});

describe('a truncated .gz is an error naming the file, not a short dataset', () => {
  it('in every gz-reading loader, wherever the cut falls in the last block', async () => {
    const goodMovies = write(dir, 'gz/movies.csv', MOVIES);
    const meta = write(dir, 'gz/meta.json', '{"asin": "B1", "title": "x"}\n');
    const ml = join(dir, 'gz/ml');
    write(ml, 'movies.csv', 'movieId,title,genres\n1,Heat (1995),Crime\n');
    const lines = (n: number, f: (k: number) => string) => Array.from({ length: n }, (_, k) => f(k)).join('\n') + '\n';
    const conv = join(dir, 'gz/conv.jsonl.gz');
    const table = join(dir, 'gz/t.csv.gz');
    const reviews = join(dir, 'gz/reviews.json.gz');
    const ratings = join(ml, 'ratings.csv.gz');
    const cases: [string, string, () => Promise<unknown>][] = [
      [conv, lines(40, (k) => conversation(k)), () => loadRedial({ movies: goodMovies, test: conv })],
      [table, 'u,i\n' + lines(200, (k) => `u${k},i${k % 7}`), () => loadInteractionTable({ file: table, columns: { user: 'u', item: 'i' } })],
      [reviews, lines(50, (k) => JSON.stringify({ reviewerID: `A${k}`, asin: 'B1', overall: 4, unixReviewTime: k })), () => loadAmazon({ reviews, meta })],
      [ratings, 'userId,movieId,rating,timestamp\n' + lines(100, (k) => `${k + 1},1,4.0,${k}`), () => loadMovieLens({ dir: ml })],
    ];
    for (const [file, content, load] of cases) {
      writeFileSync(file, gzipSync(content));
      await load(); // the whole file loads
      for (const cut of [1, 4, 8, 20]) {
        writeFileSync(file, cutGzip(content, cut));
        const e = await caught(load);
        expect([e.name, e.file], `${file} cut by ${cut}: ${e.message}`).toEqual(['LmrecError', file]);
      }
    }
  });
});

describe('malformed and cut-off rows name file, line and field', () => {
  it('tables: column count (names the first missing column), numbers, timestamps, cut-off last line', async () => {
    const columns = { user: 'u', item: 'i', rating: 'r', timestamp: 't' };
    const cases: [string, number, string | undefined, string][] = [
      ['u,i,r,t\na,b,4,10\nc,d,5\n', 3, 't', 'E_PARSE'],
      ['u,i,r,t\na,b,4,10,99\n', 2, 'column 5', 'E_PARSE'],
      ['u,i,r,t\na,b,four,10\n', 2, 'r', 'E_PARSE'],
      ['u,i,r,t\na,b,4,2020-01-01\n', 2, 't', 'E_PARSE'],
      ['u,i,r,t\na,b,4,10\nc,d,4.5,1', 3, undefined, 'E_TRUNCATED'],
    ];
    for (const [text, line, field, code] of cases) {
      const file = write(dir, 'rows/t.csv', text);
      const e = await caught(() => loadInteractionTable({ file, columns }));
      expect([e.code, e.file, e.line, e.field], JSON.stringify(text)).toEqual([code, file, line, field]);
    }
    // A complete file without a final newline loads when the user says so.
    const file = write(dir, 'rows/t.csv', 'u,i,r,t\na,b,4,10\nc,d,4.5,1');
    expect((await loadInteractionTable({ file, columns, requireFinalNewline: false })).stats().interactions).toBe(2);
    const headerless = write(dir, 'rows/h.tsv', 'a\t1\nb\n');
    const e = await caught(() => loadInteractionTable({ file: headerless, header: false, columns: { user: 0, item: 1 } }));
    expect([e.line, e.field]).toEqual([2, 'column 2']);
  });

  it('a cut-off catalogue, INSPIRED tsv or movie database is E_TRUNCATED; a short movie row is located', async () => {
    const movies = write(dir, 'rows/movies.csv', 'movieId,movieName,nbMentions\n111,Heat (1995),3\n222,Alien (19');
    const e1 = await caught(() => readCatalogueCsv(movies, 'movieId', 'movieName'));
    expect([e1.code, e1.line]).toEqual(['E_PARSE', 3]);
    write(dir, 'rows/movies.csv', 'movieId,movieName,nbMentions\n111,Heat (1995),3\n222,Alien (1979),2');
    const e2 = await caught(() => readCatalogueCsv(movies, 'movieId', 'movieName'));
    expect([e2.code, e2.line]).toEqual(['E_TRUNCATED', 3]);
    const tsv = write(dir, 'rows/test.tsv', 'dialog_id\tspeaker\ttext\tmovies\nd1\tSEEKER\thi\t\nd1\tRECOMMENDER\tTry Heat\tHeat (19');
    const e3 = await caught(() => loadInspired({ test: tsv }));
    expect([e3.code, e3.file, e3.line]).toEqual(['E_TRUNCATED', tsv, 3]);
    const db = write(dir, 'rows/movie_database.tsv', 'title\tyear\nHeat (1995)\t1995\nAlien (1979)\n');
    const ok = write(dir, 'rows/ok.tsv', 'dialog_id\tspeaker\ttext\tmovies\nd1\tSEEKER\thi\t\n');
    const e4 = await caught(() => loadInspired({ test: ok, movies: db }));
    expect([e4.code, e4.file, e4.line]).toEqual(['E_PARSE', db, 3]);
  });
});

describe('table quoting', () => {
  it('quote: false reads tab-separated names with bare quotes; the default still parses RFC 4180', async () => {
    const items = write(dir, 'q/items.tsv', 'id\tname\n1\t"Weird Al" Yankovic\n2\tHeat\n');
    const inter = write(dir, 'q/inter.tsv', 'u\ti\na\t1\nb\t2\n');
    const options = { file: inter, columns: { user: 'u', item: 'i' }, items: { file: items, columns: { id: 'id', title: 'name' } } };
    const e = await caught(() => loadInteractionTable(options));
    expect([e.code, e.file, e.line, e.field]).toEqual(['E_PARSE', items, 2, 'column 2']);
    const ds = await loadInteractionTable({ ...options, items: { ...options.items, quote: false } });
    expect(ds.items.titles).toEqual(['"Weird Al" Yankovic', 'Heat']);
    const quoted = write(dir, 'q/quoted.csv', 'id,name\n1,"Heat, the film"\n2,"say ""hi"""\n');
    const q = await loadInteractionTable({ file: write(dir, 'q/i.csv', 'u,i\na,1\nb,2\n'), columns: { user: 'u', item: 'i' }, items: { file: quoted, columns: { id: 'id', title: 'name' } } });
    expect(q.items.titles).toEqual(['Heat, the film', 'say "hi"']);
    // With quoting off, a quoted csv field is literal text (and its comma splits the row).
    const e2 = await caught(() => loadInteractionTable({ file: inter, columns: { user: 'u', item: 'i' }, items: { file: quoted, quote: false, columns: { id: 'id', title: 'name' } } }));
    expect([e2.line, e2.field]).toEqual([2, 'column 3']);
    const bad = await caught(() => loadInteractionTable({ ...options, items: { ...options.items, quote: "'" as never } }));
    expect(bad.field).toBe('quote');
  });

  it('RecBole passes quote through', async () => {
    write(dir, 'q/rb/x.inter', 'user_id:token\titem_id:token\n1\t10\n');
    write(dir, 'q/rb/x.item', 'item_id:token\tmovie_title:token_seq\n10\t"Weird Al" Yankovic\n');
    expect((await caught(() => loadRecBole({ dir: join(dir, 'q/rb'), dataset: 'x' }))).line).toBe(2);
    expect((await loadRecBole({ dir: join(dir, 'q/rb'), dataset: 'x', quote: false })).items.titles).toEqual(['"Weird Al" Yankovic']);
  });
});
