import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createContainer, PluginRegistry, TYPES, type DatasetLoader } from '@lmrec/core';
import {
  loadAmazon,
  loadInteractionTable,
  loadRecBole,
  loadInspired,
  loadRedditMovie,
  likedInteractions,
  loadBundledRedial,
  parsePythonLiteral,
  datasetsModule,
  datasetLoaderPlugins,
  type InteractionDataset,
} from '../src/index.js';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();
const triples = (ds: InteractionDataset) => {
  const out: string[] = [];
  const m = ds.interactions;
  for (let u = 0; u < m.nRows; u++) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) out.push(`${ds.users.ids[u]} ${ds.items.ids[m.indices[k]]} ${ds.ratings?.[k] ?? ''} ${ds.timestamps?.[k] ?? ''}`);
  return out.sort();
};

describe('python literals', () => {
  it('parses Amazon 2014 meta style lines', () => {
    expect(parsePythonLiteral(`{'asin': '0001', 'title': "Rock 'n' Roll", 'price': 9.5, 'x': None, 'ok': True, 'categories': [['Books', 'Kids']], 'sales': {'Books': 12}, 'd': 'a\\'b\\\\c\\x41\\u00e9'}`)).toEqual({
      asin: '0001',
      title: "Rock 'n' Roll",
      price: 9.5,
      x: null,
      ok: true,
      categories: [['Books', 'Kids']],
      sales: { Books: 12 },
      d: "a'b\\cAé",
    });
    expect(() => parsePythonLiteral("{'a': 1")).toThrow(/offset/);
    expect(() => parsePythonLiteral("{'a': 1} x")).toThrow(/trailing/);
  });
});

describe('Amazon', () => {
  const reviews2014 = [
    { reviewerID: 'A2', asin: 'B1', overall: 5.0, unixReviewTime: 100, reviewText: 'great' },
    { reviewerID: 'A1', asin: 'B2', overall: 3.0, unixReviewTime: 90 },
    { reviewerID: 'A1', asin: 'B1', overall: 4.0, unixReviewTime: 95 },
  ];
  it('2014: JSON reviews + Python-literal meta', async () => {
    // One line in Python-literal style: the loose form some 2014 dumps use.
    const r = write(dir, 'a14/reviews_Books_5.json.gz', [JSON.stringify(reviews2014[0]), `{'reviewerID': 'A1', 'asin': 'B2', 'overall': 3.0, 'unixReviewTime': 90}`, JSON.stringify(reviews2014[2])].join('\n') + '\n');
    const m = write(
      dir,
      'a14/meta_Books.json.gz',
      [`{'asin': 'B9', 'title': 'unused'}`, `{'asin': 'B1', 'title': "Dune  (Deluxe)", 'categories': [['Books', 'SF'], ['Books']], 'description': 'Spice.'}`, `{'asin': 'B2', 'title': 'Emma', 'brand': 'Penguin'}`].join('\n'),
    );
    const ds = await loadAmazon({ reviews: r, meta: m });
    expect(triples(ds)).toEqual(['A1 B1 4 95', 'A1 B2 3 90', 'A2 B1 5 100']);
    expect(ds.items.ids).toEqual(['B1', 'B2']);
    expect(ds.items.titles).toEqual(['Dune (Deluxe)', 'Emma']);
    expect(ds.items.genres).toEqual([['Books', 'SF'], []]);
    expect(ds.items.brands).toEqual(['', 'Penguin']);
    expect(ds.items.descriptions![0]).toBe('Spice.');
    const implicit = await loadAmazon({ reviews: r, meta: m, minRating: 4 });
    expect(triples(implicit)).toEqual(['A1 B1 4 95', 'A2 B1 5 100']);
  });

  it('2018: strict JSON, repeated reviews keep the latest, missing meta is located', async () => {
    const lines = [...reviews2014, { reviewerID: 'A1', asin: 'B2', overall: 1.0, unixReviewTime: 99, verified: true }].map((x) => JSON.stringify(x));
    const r = write(dir, 'a18/Books_5.json', lines.join('\n') + '\n');
    const m = write(dir, 'a18/meta_Books.json', [{ asin: 'B1', title: 'Dune', category: ['Books', 'SF'] }, { asin: 'B1', title: 'Dune again' }].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const e = await caught(() => loadAmazon({ reviews: r, meta: m }));
    expect([e.code, e.file, e.field]).toEqual(['E_UNRESOLVED', m, 'asin']);
    const ds = await loadAmazon({ reviews: r, meta: m, missingMeta: 'empty' });
    expect(triples(ds)).toEqual(['A1 B1 4 95', 'A1 B2 1 99', 'A2 B1 5 100']);
    expect(ds.items.titles).toEqual(['Dune', '']);
    const bad = write(dir, 'a18/bad.json', lines[0] + '\n' + JSON.stringify({ reviewerID: 'A3', asin: 'B1', overall: 'five', unixReviewTime: 1 }) + '\n');
    const e2 = await caught(() => loadAmazon({ reviews: bad, meta: m }));
    expect([e2.line, e2.field]).toEqual([2, 'overall']);
  });
});

describe('generic tables and RecBole', () => {
  it('maps columns of a csv with a catalogue, and of headerless tsv', async () => {
    const items = write(dir, 'g/items.csv', 'id,name,tags\nx,"Film, One",a|b\ny,Two,\n');
    const inter = write(dir, 'g/inter.csv', 'who,what,stars,when\nu1,x,4,10\nu2,y,2,11\nu1,y,5,12\n');
    const ds = await loadInteractionTable({ file: inter, columns: { user: 'who', item: 'what', rating: 'stars', timestamp: 'when' }, items: { file: items, columns: { id: 'id', title: 'name', genres: 'tags' } } });
    expect(triples(ds)).toEqual(['u1 x 4 10', 'u1 y 5 12', 'u2 y 2 11']);
    expect(ds.items.titles).toEqual(['Film, One', 'Two']);
    expect(ds.items.genres).toEqual([['a', 'b'], []]);
    const e = await caught(() => loadInteractionTable({ file: inter, columns: { user: 'who', item: 'item' } }));
    expect([e.code, e.line, e.field]).toEqual(['E_PARSE', 1, 'item']);
    const bad = write(dir, 'g/bad.csv', 'who,what,stars,when\nu1,x,4,10\nu2,z,2,11\n');
    const e2 = await caught(() => loadInteractionTable({ file: bad, columns: { user: 'who', item: 'what' }, items: { file: items, columns: { id: 'id', title: 'name' } } }));
    expect([e2.line, e2.field]).toEqual([3, 'what']);
    const tsv = write(dir, 'g/plain.tsv', 'a\t1\nb\t2\na\t2\n');
    expect(triples(await loadInteractionTable({ file: tsv, header: false, columns: { user: 0, item: 1 } }))).toEqual(['a 1  ', 'a 2  ', 'b 2  ']);
    const jl = write(dir, 'g/x.jsonl', '{"u":"a","i":"1","r":3}\n{"u":"b","i":"1"}\n');
    const e3 = await caught(() => loadInteractionTable({ file: jl, columns: { user: 'u', item: 'i', rating: 'r' } }));
    expect([e3.line, e3.field]).toEqual([2, 'r']);
  });

  it('reads RecBole atomic files with typed headers', async () => {
    write(dir, 'rb/ml.inter', 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t100\n2\t11\t3\t101\n1\t11\t5\t102\n');
    write(dir, 'rb/ml.item', 'item_id:token\tmovie_title:token_seq\tgenre:token_seq\n10\tToy Story\tAnimation Comedy\n11\tHeat\tCrime\n');
    const ds = await loadRecBole({ dir: join(dir, 'rb'), dataset: 'ml' });
    expect(triples(ds)).toEqual(['1 10 4 100', '1 11 5 102', '2 11 3 101']);
    expect(ds.items.titles).toEqual(['Toy Story', 'Heat']);
    expect(ds.items.genres).toEqual([['Animation', 'Comedy'], ['Crime']]);
    write(dir, 'rb/bad.inter', 'user_id:token\titem_id:tokn\n1\t10\n');
    const e = await caught(() => loadRecBole({ dir: join(dir, 'rb'), dataset: 'bad' }));
    expect([e.line, e.field]).toEqual([1, 'item_id']);
  });
});

describe('conversation formats', () => {
  it('INSPIRED tsv: merged turns, titles as items', async () => {
    const header = 'dialog_id\tutt_id\tspeaker\tturn_id\ttext\ttext_with_placeholder\tmovies\tgenres';
    const rows = [
      'd1\t1\tRECOMMENDER\t1\tHello\tHello\t\t',
      'd1\t2\tSEEKER\t1\tI liked Heat\tI liked [MOVIE_TITLE_0]\tHeat (1995)\t',
      'd1\t3\tSEEKER\t1\tand QUOTATION_MARKAlienQUOTATION_MARK\tx\tAlien (1979)\t',
      'd1\t4\tRECOMMENDER\t2\tTry Ronin or Thief\tx\tRonin (1998), Thief (1981)\t',
      'd2\t1\tSEEKER\t1\tHi\tHi\t\t',
      'd2\t2\tRECOMMENDER\t1\tHeat!\tx\tHeat  (1995)\t',
    ];
    const f = write(dir, 'insp/test.tsv', [header, ...rows].join('\n') + '\n');
    const ds = await loadInspired({ test: f });
    expect(ds.items.titles).toEqual(['Heat (1995)', 'Alien (1979)', 'Ronin (1998)', 'Thief (1981)']);
    expect(ds.conversations[0].turns).toEqual([
      { role: 'recommender', text: 'Hello', items: [] },
      { role: 'seeker', text: 'I liked Heat and "Alien"', items: [0, 1] },
      { role: 'recommender', text: 'Try Ronin or Thief', items: [2, 3] },
    ]);
    expect(ds.conversations[1].turns[1].items).toEqual([0]);
    const bad = write(dir, 'insp/bad.tsv', [header, rows[0], rows[4], rows[1]].join('\n') + '\n');
    const e = await caught(() => loadInspired({ test: bad }));
    expect([e.line, e.field]).toEqual([4, 'dialog_id']);
  });

  it('Reddit-Movie style table with id2name', async () => {
    const names = write(dir, 'rd/id2name.json', JSON.stringify({ tt1: 'Heat (1995)', tt2: 'Alien (1979)' }));
    const f = write(dir, 'rd/test.csv', 'conv_id,is_seeker,text,movies\nc1,1,any heist films?,[]\nc1,0,Heat,"[\'tt1\']"\nc1,0,or Alien,"[""tt2""]"\nc2,1,x,[]\n');
    const ds = await loadRedditMovie({ file: f, id2name: names, ratios: [0, 0, 1] });
    expect(ds.conversations.map((c) => c.turns.length)).toEqual([2, 1]);
    expect(ds.conversations[0].turns[1]).toEqual({ role: 'recommender', text: 'Heat or Alien', items: [0, 1] });
    expect(ds.split.test).toEqual([0, 1]);
    const bad = write(dir, 'rd/bad.csv', 'conv_id,is_seeker,text,movies\nc1,0,Heat,[tt9]\n');
    const e = await caught(() => loadRedditMovie({ file: bad, id2name: names, itemSeparator: ',' }));
    expect([e.code, e.line, e.field]).toEqual(['E_PARSE', 2, 'movies']);
  });

  it('ReDIAL liked view: seeker x liked movie, counted independently', async () => {
    const conv = await loadBundledRedial();
    const ds = likedInteractions(conv);
    const expected = new Set<string>();
    for (const c of conv.conversations) for (const t of c.turns) for (const i of t.liked ?? []) expected.add(`${c.seeker} ${i}`);
    const got = new Set<string>();
    const m = ds.interactions;
    for (let u = 0; u < m.nRows; u++) for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) got.add(`${ds.users.ids[u]} ${m.indices[k]}`);
    expect(got).toEqual(expected);
    expect(ds.items.size).toBe(conv.items.ids.length);
    expect(ds.stats().interactions).toBeGreaterThan(500);
  });
});

describe('plugins', () => {
  it('binds every loader under DatasetLoader', async () => {
    const container = createContainer();
    await container.loadAsync(datasetsModule);
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(registry.names('DatasetLoader')).toEqual(datasetLoaderPlugins.map((p) => p.name).sort());
    const loader = registry.create<DatasetLoader<any>>('DatasetLoader', 'redial-sample', {});
    const ds = await loader.load();
    expect(ds.conversations.length).toBe(500);
    const offline = registry.create<DatasetLoader<any>>('DatasetLoader', 'movielens', { download: 'ml-1m', cacheDir: join(dir, 'cache'), allowNetwork: false });
    const e = await caught(() => offline.load());
    expect(e.code).toBe('E_OFFLINE');
  });

  it('validates loader options when the loader is created: unknown keys, wrong types, missing files', () => {
    const registry = new PluginRegistry({ DatasetLoader: datasetLoaderPlugins });
    expect(() => registry.create('DatasetLoader', 'alpharec', { dir: '/x', embedings: 'a.npy' })).toThrow(/field "embedings": unknown option of DatasetLoader "alpharec" \(did you mean "embeddings"\?\)/);
    expect(() => registry.create('DatasetLoader', 'alpharec', {})).toThrow(/field "dir": .*expected string/);
    expect(() => registry.create('DatasetLoader', 'redial', { movies: 'm.csv', ratios: [0.8, 0.1] })).toThrow(/field "ratios"/);
    expect(() => registry.create('DatasetLoader', 'redial-sample', { seed: 1 })).toThrow(/unknown option of DatasetLoader "redial-sample" \(hint: this plugin takes no options\)/);
  });
});
