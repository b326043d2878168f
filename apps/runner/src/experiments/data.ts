import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, type CfSplit, type DatasetLoader, type ProgressReporter, type TextEncoder } from '@lmrec/core';
import {
  kCore,
  leaveOneOutSplit,
  likedInteractions,
  loadSplit,
  randomSplit,
  saveSplit,
  temporalSplit,
  type ConversationDataset,
  type InteractionDataset,
} from '@lmrec/datasets';
import type { RunConfig } from '../config/schema.js';
import type { ExperimentContext } from '../context.js';

type DatasetConfig = RunConfig['dataset'];

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

export interface CfData {
  name: string;
  split: CfSplit;
  /** Original user id of each dense user, when the source has them. */
  userIds?: readonly string[];
  /** Item texts (titles) when the source has them. */
  titles?: string[];
  itemEmbeddings?: { dim: number; data: Float32Array };
  stats: Record<string, number>;
}

/**
 * A collaborative-filtering split from any loader: AlphaRec layouts come
 * split; interaction datasets are split as the config says (saved, so a
 * resumed run sees the very same split); conversation datasets become the
 * seekers' liked-movie interactions. Pass `preloaded` when the caller has
 * already loaded `ds`.
 */
export async function loadCfData(ctx: ExperimentContext, ds: DatasetConfig = ctx.config.dataset, key = 'dataset', preloaded?: unknown): Promise<CfData> {
  const loaded = preloaded ?? (await loadDataset(ctx, ds, key));
  if (typeof loaded === 'object' && loaded !== null && 'split' in loaded && !isConversationDataset(loaded)) {
    const dir = loaded as { split: CfSplit; itemEmbeddings?: CfData['itemEmbeddings']; titles?: string[] };
    return { name: ds.loader, split: dir.split, itemEmbeddings: dir.itemEmbeddings, titles: dir.titles, stats: splitStats(dir.split) };
  }
  let interactions: InteractionDataset;
  if (isConversationDataset(loaded)) {
    interactions = likedInteractions(loaded);
  } else if (isInteractionDataset(loaded)) {
    interactions = loaded;
  } else {
    throw new LmrecError('E_CONFIG', `loader "${ds.loader}" returned neither interactions nor a split`, { field: `${key}.loader` });
  }
  if (ds.filter && (ds.filter.user > 0 || ds.filter.item > 0)) interactions = kCore(interactions, ds.filter);
  const splitDir = join(ctx.outDir, `split-${key}`);
  let split: CfSplit;
  if (existsSync(join(splitDir, 'split.json'))) {
    split = await loadSplit(splitDir);
  } else {
    split = makeSplit(interactions, ds.split, ctx.config.seed, key);
    await saveSplit(splitDir, split, { dataset: interactions.name, split: ds.split, seed: ctx.config.seed });
  }
  return { name: interactions.name, split, userIds: interactions.users.ids, titles: [...interactions.items.titles], stats: splitStats(split) };
}

function makeSplit(data: InteractionDataset, split: DatasetConfig['split'], seed: number, key: string): CfSplit {
  switch (split.kind) {
    case 'ratio':
      return randomSplit(data, { ratios: split.ratios, seed });
    case 'leave-one-out':
      return leaveOneOutSplit(data);
    case 'temporal':
      return temporalSplit(data, { t1: split.validFrom, t2: split.testFrom });
    case 'given':
      throw new LmrecError('E_CONFIG', `dataset "${data.name}" comes unsplit: choose ${key}.split.kind ratio, leave-one-out or temporal`, { field: `${key}.split` });
  }
}

export function splitStats(split: CfSplit): Record<string, number> {
  return { users: split.nUsers, items: split.nItems, train: split.train.nnz, valid: split.valid.nnz, test: split.test.nnz };
}

/** Item vectors from a TextEncoder plugin over the item texts (fitted on them first when it fits); cached in the run's folder unless the encoder says otherwise. */
export async function encodeItems(ctx: ExperimentContext, ref: { name: string; options: Record<string, unknown> }, titles: readonly string[], field = 'encoder'): Promise<{ encoder: TextEncoder; embeddings: { dim: number; data: Float32Array } }> {
  const encoder = await ctx.create<TextEncoder>('TextEncoder', ref, field);
  await encoder.fit?.(titles);
  return { encoder, embeddings: await encodeMatrix(encoder, titles, ctx.progress) };
}

/** Every text through the encoder, as one row-major [texts.length, dim] matrix. */
export async function encodeMatrix(encoder: TextEncoder, texts: readonly string[], progress?: ProgressReporter): Promise<{ dim: number; data: Float32Array }> {
  const rows = await encoder.encode(texts, { progress });
  const data = new Float32Array(rows.length * encoder.dim);
  rows.forEach((row, i) => data.set(row, i * encoder.dim));
  return { dim: encoder.dim, data };
}
