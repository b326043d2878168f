import { pathOption } from '@lmrec/core';
import { z } from 'zod';

// The options every DatasetLoader plugin accepts, one strict schema each:
// an unknown key is a config error, never silently ignored.

const files = (what: string) => z.union([pathOption(what), z.array(pathOption(what)).nonempty()]).describe(`${what} (or a list of them)`);
const dedup = z.enum(['error', 'first', 'last', 'latest']).describe('what a repeated (user, item) pair does: error, keep the first, the last, or the latest by time');
const minRating = z.number().describe('keep only ratings >= this (implicit feedback while reading)');
const name = z.string().min(1).describe('dataset name in reports');
const ratios = z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]).describe('train / valid / test shares when the files are split here');
const seed = z.number().int().nonnegative().describe('seed of that split');
const column = z.union([z.string().min(1), z.number().int().nonnegative()]);
const finalNewline = z.boolean().describe('a csv/tsv must end with a newline, else it looks cut short (default true)');

export const movielensOptions = z.strictObject({
  dir: pathOption('folder of an extracted MovieLens release (ml-100k, ml-1m, ml-10M100K, ml-20m, ml-25m, ml-32m, ml-latest*)').optional(),
  download: z.string().min(1).describe('a release to fetch once into cacheDir instead of dir: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-32m, ml-latest-small').optional(),
  cacheDir: pathOption('download cache folder').default('.lmrec-cache/datasets'),
  allowNetwork: z.boolean().default(true).describe('false: fail instead of downloading'),
  variant: z.enum(['100k', '1m', '10m', 'csv']).describe('file layout; detected from the files when omitted').optional(),
  minRating: minRating.optional(),
  dedup: dedup.optional(),
  name: name.optional(),
});

export const amazonOptions = z.strictObject({
  reviews: pathOption('reviews_<Category>_5.json.gz (2014) or <Category>_5.json.gz (2018)'),
  meta: pathOption('meta_<Category>.json.gz: titles, descriptions, categories, brand'),
  version: z.union([z.literal(2014), z.literal(2018)]).describe('2014 meta lines are Python literals, 2018 JSON; detected per line when omitted').optional(),
  dedup: dedup.optional(),
  missingMeta: z.enum(['error', 'empty']).describe('a reviewed item without a meta line: error, or keep it with an empty title').optional(),
  minRating: minRating.optional(),
  name: name.optional(),
});

export const alpharecOptions = z.strictObject({
  dir: pathOption("folder with AlphaRec's cf_data/{train,valid,test}.txt and item_info/*.npy"),
  embeddings: z.string().min(1).describe('file name inside item_info/, .npy or .safetensors (default: the only such file there, else item_cf_embeds_large3_array.npy)').optional(),
  tensor: z.string().min(1).describe('tensor to read from a .safetensors embeddings file holding several').optional(),
  nItems: z.number().int().positive().describe('catalogue size when there is no embeddings file and some items have no interaction (default: ids must be contiguous 0..max)').optional(),
  itemText: z.string().min(1).describe('tab-separated item-text file in dir, header with an id (new_id) and a text column; default item_map.tsv when present').optional(),
});

export const recboleOptions = z.strictObject({
  dir: pathOption('folder holding <dataset>.inter (and optionally <dataset>.item)'),
  dataset: z.string().min(1).describe('file stem, e.g. "ml-100k"'),
  userField: z.string().describe('user id field of the .inter file (default user_id)').optional(),
  itemField: z.string().describe('item id field (default item_id)').optional(),
  ratingField: z.string().describe('rating field (default rating, when present)').optional(),
  timeField: z.string().describe('timestamp field (default timestamp, when present)').optional(),
  titleField: z.string().describe('title field of the .item file (default: movie_title, title, item_name or name)').optional(),
  quote: z.union([z.literal('"'), z.literal(false)]).describe('csv quoting (default \'"\')').optional(),
  requireFinalNewline: finalNewline.optional(),
  dedup: dedup.optional(),
  minRating: minRating.optional(),
});

const tableSource = {
  file: pathOption('csv, tsv or jsonl file (optionally .gz)'),
  format: z.enum(['csv', 'jsonl']).describe('default: from the file name').optional(),
  delimiter: z.string().min(1).describe("csv field separator (default ',' or tab for .tsv)").optional(),
  header: z.boolean().describe('first line names the columns (csv; default true)').optional(),
  encoding: z.enum(['utf-8', 'latin1']).describe('text encoding of the file (default utf-8)').optional(),
  quote: z.union([z.literal('"'), z.literal(false)]).describe('csv quoting: \'"\' (RFC 4180, default) or false (split on the delimiter only)').optional(),
  requireFinalNewline: finalNewline.optional(),
};

export const tableOptions = z.strictObject({
  ...tableSource,
  columns: z.strictObject({ user: column, item: column, rating: column.optional(), timestamp: column.optional() }).describe('column names (or 0-based indexes)'),
  items: z
    .strictObject({
      ...tableSource,
      columns: z.strictObject({ id: column, title: column, description: column.optional(), genres: column.optional(), brand: column.optional() }),
      genreSeparator: z.string().optional(),
    })
    .describe('optional item catalogue; items resolve through it')
    .optional(),
  dedup: dedup.optional(),
  minRating: minRating.optional(),
  name: name.optional(),
});

export const redialOptions = z.strictObject({
  movies: pathOption('movies_with_mentions.csv: the catalogue'),
  train: files('conversation file (JSON lines, optionally .gz)').optional(),
  valid: files('conversation file').optional(),
  test: files('conversation file').optional(),
  files: files('conversation file without a split of its own (split here with ratios and seed)').optional(),
  ratios: ratios.optional(),
  seed: seed.optional(),
  name: name.optional(),
  turns: z.enum(['merge', 'message']).describe("'merge' consecutive messages of one sender into one turn (default), or one turn per 'message' (the RTA reference)").optional(),
  catalogue: z.enum(['file', 'mentioned']).describe("'file': every movie of the csv (default); 'mentioned': only movies mentioned in a loaded message, id = rank of ascending movieId (the RTA reference)").optional(),
  trainFromTest: z.number().int().nonnegative().describe('move the n lowest-id test conversations to train, every part in ascending id (redial_lexical: 742; see redialLexicalSplit)').optional(),
});

export const redialSampleOptions = z.strictObject({});

export const inspiredOptions = z.strictObject({
  train: files('dialog_data/train.tsv').optional(),
  valid: files('dialog_data/dev.tsv').optional(),
  test: files('dialog_data/test.tsv').optional(),
  movies: pathOption('movie_database.tsv: its title column adds the whole catalogue').optional(),
  name: name.optional(),
  requireFinalNewline: finalNewline.optional(),
});

const conversationColumns = {
  conversation: z.string().min(1),
  role: z.string().min(1).describe('speaker column: values in seekerValues are the seeker'),
  text: z.string().min(1),
  items: z.string().min(1).describe('item ids of the row: a JSON / Python list, or ids separated by itemSeparator'),
};

const conversationTable = {
  ...tableSource,
  seekerValues: z.array(z.string()).describe("role values that mean the seeker (default 1, true, True, seeker, SEEKER, user)").optional(),
  itemSeparator: z.string().describe('separator of item ids written without list brackets (default |)').optional(),
  id2name: pathOption('JSON object item id -> name; the catalogue is every entry'),
  ratios: ratios.optional(),
  seed: seed.optional(),
  name: name.optional(),
};

export const conversationTableOptions = z.strictObject({ ...conversationTable, columns: z.strictObject(conversationColumns).describe('column names of the conversation, role, text and items') });

export const redditMovieOptions = z.strictObject({ ...conversationTable, columns: z.strictObject(conversationColumns).partial().describe('default conv_id, is_seeker, text, movies').optional() });
