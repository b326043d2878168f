import { join } from 'node:path';
import { expect } from 'vitest';
import { PluginRegistry, writeNpy, type DatasetLoader } from '@lmrec/core';
import { datasetLoaderContract, pluginFactoryContract } from '@lmrec/testing';
import { DATASETS_ORIGIN, datasetLoaderPlugins, datasetsModule } from '../src/index.js';
import { tempDir, write } from './helpers.js';

// Every loader of the package through the DatasetLoader contract, on inputs
// small enough to count by hand, plus the input each one must refuse.
const dir = tempDir();
const registry = new PluginRegistry({ DatasetLoader: datasetLoaderPlugins });
const loader = (name: string, options: Record<string, unknown>) => () => registry.create<DatasetLoader>('DatasetLoader', name, options);
const at = (...parts: string[]) => join(dir, ...parts);

const flags = new Array(19).fill(0).join('|');
write(dir, 'ml/u.data', '1\t10\t4\t100\n1\t20\t3\t101\n2\t10\t5\t102\n3\t30\t2\t103\n');
write(dir, 'ml/u.item', ['10|Heat (1995)', '20|Alien (1979)', '30|Ronin (1998)'].map((m) => `${m}|01-Jan-1995||http://x|${flags}`).join('\n') + '\n');
write(dir, 'ml-bad/u.data', '1\t10\t4\t100\n1\t20\n');
write(dir, 'ml-bad/u.item', `10|Heat (1995)|01-Jan-1995||http://x|${flags}\n`);
datasetLoaderContract({
  name: 'movielens',
  create: loader('movielens', { dir: at('ml') }),
  expected: { users: 3, items: 3, interactions: 4 },
  broken: [
    { title: 'a u.data row cut short', create: loader('movielens', { dir: at('ml-bad') }), message: /u\.data/ },
    { title: 'both dir and download', create: loader('movielens', { dir: at('ml'), download: 'ml-1m', allowNetwork: false }), code: 'E_CONFIG' },
    { title: 'a missing folder', create: loader('movielens', { dir: at('nope') }) },
  ],
});

const review = (user: string, item: string, overall: unknown, time: number) => JSON.stringify({ reviewerID: user, asin: item, overall, unixReviewTime: time });
write(dir, 'az/Books_5.json', [review('A1', 'B1', 5, 1), review('A2', 'B1', 4, 2), review('A1', 'B2', 3, 3)].join('\n') + '\n');
write(dir, 'az/meta_Books.json', [{ asin: 'B1', title: 'Dune' }, { asin: 'B2', title: 'Emma' }].map((m) => JSON.stringify(m)).join('\n') + '\n');
write(dir, 'az/bad_5.json', review('A1', 'B1', 'five', 1) + '\n');
datasetLoaderContract({
  name: 'amazon',
  create: loader('amazon', { reviews: at('az/Books_5.json'), meta: at('az/meta_Books.json') }),
  expected: { users: 2, items: 2, interactions: 3 },
  broken: [{ title: 'a rating that is not a number', create: loader('amazon', { reviews: at('az/bad_5.json'), meta: at('az/meta_Books.json') }), message: /bad_5\.json/ }],
});

write(dir, 'ar/cf_data/train.txt', '0 3 1\n1 0\n2 2 4\n');
write(dir, 'ar/cf_data/valid.txt', '0 0\n2 1\n');
write(dir, 'ar/cf_data/test.txt', '0 2\n1 4\n');
await writeNpy(at('ar/item_info/item_cf_embeds_large3_array.npy'), Float32Array.from({ length: 18 }, (_, i) => i / 10), [6, 3]);
write(dir, 'ar-bad/cf_data/train.txt', '0 3 1\n1 x\n');
write(dir, 'ar-bad/cf_data/valid.txt', '0 0\n');
write(dir, 'ar-bad/cf_data/test.txt', '0 2\n');
datasetLoaderContract({
  name: 'alpharec',
  create: loader('alpharec', { dir: at('ar') }),
  expected: { users: 3, items: 6, interactions: 9 },
  broken: [
    { title: 'a non-integer item id in train.txt', create: loader('alpharec', { dir: at('ar-bad') }), message: /train\.txt/ },
    { title: 'a folder without cf_data', create: loader('alpharec', { dir: at('nope') }), code: 'E_IO' },
  ],
});

write(dir, 'rb/ml.inter', 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t100\n2\t11\t3\t101\n1\t11\t5\t102\n');
write(dir, 'rb/ml.item', 'item_id:token\tmovie_title:token_seq\n10\tToy Story\n11\tHeat\n');
write(dir, 'rb/bad.inter', 'user_id:token\titem_id:tokn\n1\t10\n');
datasetLoaderContract({
  name: 'recbole',
  create: loader('recbole', { dir: at('rb'), dataset: 'ml' }),
  expected: { users: 2, items: 2, interactions: 3 },
  broken: [{ title: 'an unknown field type in the header', create: loader('recbole', { dir: at('rb'), dataset: 'bad' }), message: /bad\.inter/ }],
});

write(dir, 'tb/items.csv', 'id,name\nx,"Film, One"\ny,Two\n');
write(dir, 'tb/inter.csv', 'who,what,stars\nu1,x,4\nu2,y,2\nu1,y,5\n');
write(dir, 'tb/stray.csv', 'who,what\nu1,x\nu2,z\n');
const columns = { user: 'who', item: 'what' };
const items = { file: at('tb/items.csv'), columns: { id: 'id', title: 'name' } };
datasetLoaderContract({
  name: 'table',
  create: loader('table', { file: at('tb/inter.csv'), columns: { ...columns, rating: 'stars' }, items }),
  expected: { users: 2, items: 2, interactions: 3 },
  broken: [
    { title: 'an item missing from the catalogue', create: loader('table', { file: at('tb/stray.csv'), columns, items }), message: /stray\.csv/ },
    { title: 'a column that is not in the header', create: loader('table', { file: at('tb/inter.csv'), columns: { user: 'who', item: 'item' } }), message: /item/ },
  ],
});

const redial = JSON.stringify({
  conversationId: '7',
  initiatorWorkerId: 1,
  respondentWorkerId: 2,
  movieMentions: { '10': 'Alien', '30': 'Heat' },
  initiatorQuestions: { '10': { suggested: 0, seen: 1, liked: 1 } },
  respondentQuestions: { '30': { suggested: 1, seen: 2, liked: 1 } },
  messages: [
    { messageId: 1, senderWorkerId: 1, text: 'hi, I loved @10' },
    { messageId: 2, senderWorkerId: 2, text: 'try @30' },
  ],
});
write(dir, 'rd/movies.csv', 'movieId,movieName,nbMentions\n10,Alien (1979),3\n20,Ronin (1998),1\n30,Heat (1995),2\n');
write(dir, 'rd/test.jsonl', `${redial}\n`);
write(dir, 'rd/cut.jsonl', `${redial}\n${redial.slice(0, 40)}\n`);
datasetLoaderContract({
  name: 'redial',
  create: loader('redial', { movies: at('rd/movies.csv'), test: at('rd/test.jsonl') }),
  expected: { items: 3, conversations: 1 },
  broken: [{ title: 'a conversation line cut mid-record', create: loader('redial', { movies: at('rd/movies.csv'), test: at('rd/cut.jsonl') }), message: /cut\.jsonl.*line 2/ }],
});

datasetLoaderContract({ name: 'redial-sample', create: loader('redial-sample', {}) });

const header = 'dialog_id\tutt_id\tspeaker\tturn_id\ttext\ttext_with_placeholder\tmovies\tgenres';
const rows = ['d1\t1\tSEEKER\t1\tI liked Heat\tx\tHeat (1995)\t', 'd1\t2\tRECOMMENDER\t1\tTry Ronin or Thief\tx\tRonin (1998), Thief (1981)\t', 'd2\t1\tSEEKER\t1\tHi\tHi\t\t', 'd2\t2\tRECOMMENDER\t1\tHeat!\tx\tHeat (1995)\t'];
write(dir, 'in/test.tsv', [header, ...rows].join('\n') + '\n');
write(dir, 'in/bad.tsv', [header, rows[0], rows[2], rows[1]].join('\n') + '\n');
datasetLoaderContract({
  name: 'inspired',
  create: loader('inspired', { test: at('in/test.tsv') }),
  expected: { items: 3, conversations: 2 },
  broken: [{ title: 'a dialog whose rows are not contiguous', create: loader('inspired', { test: at('in/bad.tsv') }), message: /bad\.tsv, line 4/ }],
});

write(dir, 'rm/id2name.json', JSON.stringify({ tt1: 'Heat (1995)', tt2: 'Alien (1979)' }));
write(dir, 'rm/test.csv', 'conv_id,is_seeker,text,movies\nc1,1,any heist films?,[]\nc1,0,Heat,"[\'tt1\']"\nc2,1,x,[]\nc2,0,Alien,"[""tt2""]"\n');
write(dir, 'rm/bad.csv', 'conv_id,is_seeker,text,movies\nc1,0,Heat,[tt9]\n');
datasetLoaderContract({
  name: 'reddit-movie',
  create: loader('reddit-movie', { file: at('rm/test.csv'), id2name: at('rm/id2name.json'), ratios: [0, 0, 1] }),
  expected: { items: 2, conversations: 2 },
  broken: [{ title: 'an item id missing from id2name', create: loader('reddit-movie', { file: at('rm/bad.csv'), id2name: at('rm/id2name.json'), itemSeparator: ',' }), message: /bad\.csv/ }],
});

write(dir, 'ct/table.csv', 'cid,who,utt,ids\nc1,seeker,hi,[]\nc1,rec,try Heat,"[""tt1""]"\nc2,seeker,Alien?,"[\'tt2\']"\n');
write(dir, 'ct/bad.csv', 'cid,who,utt,ids\nc1,rec,try it,"[""tt3""]"\n');
const ctColumns = { conversation: 'cid', role: 'who', text: 'utt', items: 'ids' };
datasetLoaderContract({
  name: 'conversation-table',
  create: loader('conversation-table', { file: at('ct/table.csv'), columns: ctColumns, id2name: at('rm/id2name.json'), ratios: [1, 0, 0] }),
  expected: { items: 2, conversations: 2 },
  broken: [{ title: 'an item id missing from id2name', create: loader('conversation-table', { file: at('ct/bad.csv'), columns: ctColumns, id2name: at('rm/id2name.json') }), message: /bad\.csv/ }],
});

const validOptions: Record<string, Record<string, unknown>> = {
  movielens: { dir: at('ml') },
  amazon: { reviews: at('az/Books_5.json'), meta: at('az/meta_Books.json') },
  alpharec: { dir: at('ar') },
  recbole: { dir: at('rb'), dataset: 'ml' },
  table: { file: at('tb/inter.csv'), columns },
  redial: { movies: at('rd/movies.csv') },
  'redial-sample': {},
  inspired: {},
  'reddit-movie': { file: at('rm/test.csv'), id2name: at('rm/id2name.json') },
  'conversation-table': { file: at('ct/table.csv'), columns: ctColumns, id2name: at('rm/id2name.json') },
};
for (const factory of datasetLoaderPlugins) {
  pluginFactoryContract<DatasetLoader>({ point: 'DatasetLoader', factory, options: validOptions[factory.name], module: datasetsModule, origin: DATASETS_ORIGIN, check: (l) => expect(l.name).toBe(factory.name) });
}
