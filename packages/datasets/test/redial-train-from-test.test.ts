import { describe, expect, it } from 'vitest';
import { PluginRegistry, type DatasetLoader } from '@lmrec/core';
import { datasetLoaderPlugins, type ConversationDataset } from '../src/index.js';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();
const movies = write(dir, 'movies.csv', 'movieId,movieName,nbMentions\n10,Alien (1979),3\n');
const conv = (id: string) => JSON.stringify({ conversationId: id, initiatorWorkerId: 1, respondentWorkerId: 2, movieMentions: {}, initiatorQuestions: {}, respondentQuestions: {}, messages: [{ senderWorkerId: 2, text: 'try @10' }] });
const train = write(dir, 'train.jsonl', `${conv('50')}\n${conv('5')}\n`);
const test = write(dir, 'test.jsonl', `${conv('300')}\n${conv('40')}\n${conv('7')}\n`);
const registry = new PluginRegistry({ DatasetLoader: datasetLoaderPlugins });
const load = (options: Record<string, unknown>) => registry.create<DatasetLoader<ConversationDataset>>('DatasetLoader', 'redial', { movies, train, test, ...options }).load();

describe('redial loader: trainFromTest (the redial_lexical split)', () => {
  it('moves the n lowest-id test conversations to train, each part in ascending numeric id', async () => {
    const ds = await load({ trainFromTest: 2 });
    const ids = (xs: number[]) => xs.map((i) => ds.conversations[i].id);
    expect([ids(ds.split.train), ids(ds.split.valid), ids(ds.split.test)]).toEqual([['5', '50', '7', '40'], [], ['300']]);
    const plain = await load({});
    expect(plain.split.test.map((i) => plain.conversations[i].id)).toEqual(['300', '40', '7']);
  });

  it('more than the test conversations is a config error naming trainFromTest', async () => {
    const error = await caught(() => load({ trainFromTest: 4 }));
    expect(error).toMatchObject({ code: 'E_CONFIG', field: 'trainFromTest' });
    expect(String(error)).toMatch(/hold 3 conversations/);
  });
});
