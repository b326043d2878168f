import { definePlugin, pluginModule, type DatasetLoader, type PluginFactory } from '@lmrec/core';
import { loadMovieLens, type MovieLensOptions } from './loaders/movielens.js';
import { loadAmazon, type AmazonOptions } from './loaders/amazon.js';
import { loadAlphaRecDir } from './loaders/alpharec.js';
import { loadRecBole, type RecBoleOptions } from './loaders/recbole.js';
import { loadInteractionTable, type GenericInteractionsOptions } from './loaders/generic.js';
import { loadRedial, type RedialOptions } from './conversations/redial.js';
import { loadBundledRedial } from './conversations/bundled.js';
import { loadInspired, type InspiredOptions } from './conversations/inspired.js';
import { loadConversationTable, loadRedditMovie, type ConversationTableOptions } from './conversations/table.js';
import { LmrecError } from '@lmrec/core';
import { DownloadCache } from './download/cache.js';

/** A DatasetLoader around a load function; options arrive from configs as plain objects. */
export class FunctionLoader<T, O> implements DatasetLoader<T> {
  constructor(
    readonly name: string,
    private readonly fn: (options: O) => Promise<T>,
  ) {}

  load(options: Record<string, unknown>): Promise<T> {
    return this.fn(options as O);
  }
}

const loader = <T, O>(name: string, fn: (options: O) => Promise<T>, description: string): PluginFactory<DatasetLoader<T>> =>
  definePlugin(name, () => new FunctionLoader<T, O>(name, fn), description);

/** Every loader of this package as DatasetLoader plugin factories. */
export const datasetLoaderPlugins: PluginFactory<DatasetLoader>[] = [
  loader(
    'movielens',
    async (o: Partial<MovieLensOptions> & { download?: string; cacheDir?: string; allowNetwork?: boolean }) => {
      // { download: 'ml-1m' } fetches the GroupLens zip once into the cache folder; { dir } reads a local copy.
      const dir = o.dir ?? (o.download ? await new DownloadCache({ dir: o.cacheDir ?? '.lmrec-cache/datasets', allowNetwork: o.allowNetwork, progress: o.progress }).dataset(o.download) : undefined);
      if (!dir) throw new LmrecError('E_ARGUMENT', 'movielens loader needs { dir } or { download: "ml-1m" | ... }', { field: 'dir' });
      return loadMovieLens({ ...o, dir });
    },
    'MovieLens 100K/1M/10M/20M/25M/32M/latest from an extracted release folder, or downloaded once into a cache',
  ),
  loader('amazon', (o: AmazonOptions) => loadAmazon(o), 'Amazon reviews 2014/2018 (5-core reviews + metadata)'),
  loader(
    'alpharec',
    (o: { dir: string; embeddings?: string }) => {
      if (typeof o.dir !== 'string') throw new LmrecError('E_ARGUMENT', 'alpharec loader needs { dir }', { field: 'dir' });
      return loadAlphaRecDir(o.dir, o);
    },
    "AlphaRec's cf_data/{train,valid,test}.txt + item_info/*.npy",
  ),
  loader('recbole', (o: RecBoleOptions) => loadRecBole(o), 'RecBole atomic files (.inter, .item)'),
  loader('table', (o: GenericInteractionsOptions) => loadInteractionTable(o), 'any csv/tsv/jsonl interaction table with a column mapping'),
  loader('redial', (o: RedialOptions) => loadRedial(o), 'ReDIAL raw JSON lines + movies_with_mentions.csv'),
  loader('redial-sample', () => loadBundledRedial(), 'the CC BY 4.0 ReDIAL sample bundled with @lmrec/datasets'),
  loader('inspired', (o: InspiredOptions) => loadInspired(o), 'INSPIRED dialog_data tsv'),
  loader('reddit-movie', (o: Parameters<typeof loadRedditMovie>[0]) => loadRedditMovie(o), 'Reddit-Movie csv + id2name.json'),
  loader('conversation-table', (o: ConversationTableOptions) => loadConversationTable(o), 'utterance-per-row conversation tables with an id -> name map'),
];

/** Binds every loader under the DatasetLoader extension point. */
export const datasetsModule = pluginModule('DatasetLoader', datasetLoaderPlugins);
