import { definePlugin, DEPS, LmrecError, pluginModule, type DatasetLoader, type PluginFactory, type ProgressReporter } from '@lmrec/core';
import type { z } from 'zod';
import { loadBundledRedial } from './conversations/bundled.js';
import { loadInspired } from './conversations/inspired.js';
import { loadRedial } from './conversations/redial.js';
import { loadConversationTable, loadRedditMovie } from './conversations/table.js';
import { DownloadCache } from './download/cache.js';
import { loadAlphaRecDir } from './loaders/alpharec.js';
import { loadAmazon } from './loaders/amazon.js';
import { loadInteractionTable } from './loaders/generic.js';
import { loadMovieLens } from './loaders/movielens.js';
import { loadRecBole } from './loaders/recbole.js';
import * as schemas from './options.js';
import { redialLexicalSplit } from './splits/conversations.js';
import { DATASETS_ORIGIN } from './origin.js';

/** A DatasetLoader around a load function and its (validated) options. */
export class FunctionLoader<T, O> implements DatasetLoader<T> {
  constructor(
    readonly name: string,
    private readonly fn: (options: O) => Promise<T>,
    private readonly options: O,
  ) {}

  load(): Promise<T> {
    return this.fn(this.options);
  }
}

function loader<S extends z.ZodType, T>(
  name: string,
  options: S,
  description: string,
  fn: (options: z.output<S>, progress?: ProgressReporter) => Promise<T>,
): PluginFactory<DatasetLoader<T>, S> {
  return definePlugin({
    name,
    description,
    options,
    optional: [DEPS.Progress],
    create: (o, deps) => new FunctionLoader(name, (opts: z.output<S>) => fn(opts, deps.has(DEPS.Progress) ? deps.get(DEPS.Progress) : undefined), o),
  });
}

async function movielens(o: z.output<typeof schemas.movielensOptions>, progress?: ProgressReporter) {
  const { download, cacheDir, allowNetwork, dir: given, ...rest } = o;
  if (given && download) throw new LmrecError('E_CONFIG', 'movielens: give dir or download, not both', { field: 'download' });
  // { download: 'ml-1m' } fetches the GroupLens zip once into the cache folder; { dir } reads a local copy.
  const dir = given ?? (download ? await new DownloadCache({ dir: cacheDir, allowNetwork, progress }).dataset(download) : undefined);
  if (!dir) throw new LmrecError('E_CONFIG', 'movielens loader needs dir, or download: "ml-1m" (or another release)', { field: 'dir' });
  return loadMovieLens({ ...rest, dir, progress });
}

async function redial(o: z.output<typeof schemas.redialOptions>) {
  const { trainFromTest, ...rest } = o;
  const dataset = await loadRedial(rest);
  if (trainFromTest === undefined) return dataset;
  if (trainFromTest > dataset.split.test.length) {
    throw new LmrecError('E_CONFIG', `trainFromTest is ${trainFromTest}, but the test files hold ${dataset.split.test.length} conversations`, { field: 'trainFromTest' });
  }
  return { ...dataset, split: redialLexicalSplit(dataset, { fromTest: trainFromTest }) };
}

/** Every loader of this package as DatasetLoader plugin factories. */
export const datasetLoaderPlugins = [
  loader('movielens', schemas.movielensOptions, 'MovieLens 100K/1M/10M/20M/25M/32M/latest from an extracted release folder, or downloaded once into a cache', movielens),
  loader('amazon', schemas.amazonOptions, 'Amazon reviews 2014/2018 (5-core reviews + metadata)', (o) => loadAmazon(o)),
  loader('alpharec', schemas.alpharecOptions, "AlphaRec's cf_data/{train,valid,test}.txt + item_info/*.npy", (o) => loadAlphaRecDir(o.dir, o)),
  loader('recbole', schemas.recboleOptions, 'RecBole atomic files (.inter, .item)', (o) => loadRecBole(o)),
  loader('table', schemas.tableOptions, 'any csv/tsv/jsonl interaction table with a column mapping', (o) => loadInteractionTable(o)),
  loader('redial', schemas.redialOptions, 'ReDIAL raw JSON lines + movies_with_mentions.csv', redial),
  loader('redial-sample', schemas.redialSampleOptions, 'the CC BY 4.0 ReDIAL sample bundled with @lmrec/datasets', () => loadBundledRedial()),
  loader('inspired', schemas.inspiredOptions, 'INSPIRED dialog_data tsv', (o) => loadInspired(o)),
  loader('reddit-movie', schemas.redditMovieOptions, 'Reddit-Movie csv + id2name.json', (o) => loadRedditMovie(o)),
  loader('conversation-table', schemas.conversationTableOptions, 'utterance-per-row conversation tables with an id -> name map', (o) => loadConversationTable(o)),
];

/** Binds every loader under the DatasetLoader extension point. */
export const datasetsModule = pluginModule(DATASETS_ORIGIN, 'DatasetLoader', datasetLoaderPlugins);
