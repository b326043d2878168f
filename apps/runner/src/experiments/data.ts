import { join } from 'node:path';
import { LmrecError, writeJsonAtomic, type CfSplit, type DatasetLoader } from '@lmrec/core';
import { kCore, likedInteractions, loadSplit, saveSplit, type ConversationDataset, type InteractionDataset } from '@lmrec/datasets';
import type { DatasetConfig } from '../config/schema.js';
import { safeName, type ExperimentContext } from '../context.js';
import { trainSequences } from './sequences.js';
import { makeSplit, splitStats } from './splits.js';

export async function loadDataset(ctx: ExperimentContext, ds: DatasetConfig, field = 'dataset'): Promise<unknown> {
  const loader = await ctx.create<DatasetLoader>('DatasetLoader', { name: ds.loader, options: ds.options }, field);
  return loader.load();
}

export function isConversationDataset(value: unknown): value is ConversationDataset {
  return typeof value === 'object' && value !== null && 'conversations' in value && 'split' in value;
}

function isInteractionDataset(value: unknown): value is InteractionDataset {
  return typeof value === 'object' && value !== null && 'interactions' in value && 'items' in value;
}

type GivenSplit = { split: CfSplit; itemEmbeddings?: CfData['itemEmbeddings']; titles?: string[] };

function isGivenSplit(value: unknown): value is GivenSplit {
  return typeof value === 'object' && value !== null && 'split' in value && !isConversationDataset(value);
}

export interface CfData {
  name: string;
  split: CfSplit;
  /** Original user id of each dense user, when the source has them. */
  userIds?: readonly string[];
  /** Item texts (titles) when the source has them. */
  titles?: string[];
  itemEmbeddings?: { dim: number; data: Float32Array };
  /** Each user's train items in time order, when the dataset has timestamps (built on first call: a reused step needs none). */
  sequences?: () => Int32Array[];
  stats: Record<string, number>;
  /** What the split is made from (its step's key material): model rows' keys hold it. */
  material: unknown;
  /** Run-folder folder of the saved split (and items.json). */
  dir: string;
}

/** Where a run saves the split of a dataset field ("dataset", "datasets.0"). */
export const splitDir = (outDir: string, field: string) => join(outDir, `split-${safeName(field)}`);

/**
 * A collaborative-filtering split from any loader: AlphaRec layouts come
 * split; interaction datasets are split as the config says; conversation
 * datasets become the seekers' liked-movie interactions. The split is a step:
 * saved in the run folder with the titles, reused only while the dataset's
 * files, loader options, filter, split and seed are the same. Pass
 * `preloaded` when the caller has already loaded `ds`.
 */
export async function loadCfData(ctx: ExperimentContext, ds: DatasetConfig = ctx.config.dataset, field = 'dataset', preloaded?: unknown): Promise<CfData> {
  const dataset = await ctx.material('DatasetLoader', { name: ds.loader, options: ds.options }, field);
  const loaded = preloaded ?? (await loadDataset(ctx, ds, field));
  const given = isGivenSplit(loaded);
  if (!given && !isConversationDataset(loaded) && !isInteractionDataset(loaded)) {
    throw new LmrecError('E_CONFIG', `loader "${ds.loader}" returned neither interactions nor a split`, { field: `${field}.loader` });
  }
  if (given && (ds.split.kind !== 'given' || ds.filter)) {
    const key = ds.split.kind !== 'given' ? 'split' : 'filter';
    throw new LmrecError('E_CONFIG', `loader "${ds.loader}" gives its own train/valid/test split: remove "${field}.${key}" (it would be ignored)`, ctx.where(`${field}.${key}`));
  }
  const view = given ? 'given split' : isConversationDataset(loaded) ? 'liked interactions' : 'interactions';
  const material = { dataset, view, ...(given ? {} : { filter: ds.filter ?? null, split: ds.split, seed: ctx.config.seed }) };
  const interactions = given ? undefined : filtered(isConversationDataset(loaded) ? likedInteractions(loaded) : (loaded as InteractionDataset), ds);
  const name = given ? ds.loader : interactions!.name;
  const titles = given ? (loaded as GivenSplit).titles : [...interactions!.items.titles];
  const dir = splitDir(ctx.outDir, field);
  let split: CfSplit | undefined;
  const outcome = await ctx.steps.run({ id: `split-${safeName(field)}`, label: `${field} split`, verb: 're-splitting' }, material, async () => {
    split = given ? (loaded as GivenSplit).split : makeSplit(interactions!, ds.split, ctx.config.seed, field);
    await saveSplit(dir, split, { dataset: name, split: ds.split, seed: ctx.config.seed });
    await writeJsonAtomic(join(dir, 'items.json'), { titles: titles ?? null, userIds: interactions?.users.ids ?? null });
    return { name, stats: splitStats(split) };
  });
  split ??= await loadSplit(dir).catch((error: unknown) => {
    throw new LmrecError('E_STATE', `the saved split of ${field} cannot be read: ${(error as Error).message}`, { file: dir, hint: 'start the run again with --fresh' });
  });
  const trainSplit = split;
  const sequences = interactions?.timestamps ? once(() => trainSequences(interactions, trainSplit)!) : undefined;
  return { name, split, userIds: interactions?.users.ids, titles, itemEmbeddings: given ? (loaded as GivenSplit).itemEmbeddings : undefined, sequences, stats: outcome.value.stats, material, dir };
}

function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

function filtered(interactions: InteractionDataset, ds: DatasetConfig): InteractionDataset {
  return ds.filter && (ds.filter.user > 0 || ds.filter.item > 0) ? kCore(interactions, ds.filter) : interactions;
}
