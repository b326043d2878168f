import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DEPS, LmrecError, readSafetensors, tf, writeJsonAtomic, writeSafetensors, type Aggregator, type Backbone } from '@lmrec/core';
import type { ConversationDataset } from '@lmrec/datasets';
import { ReindexModel } from '@lmrec/reindex';
import { aggregatorUse, DEFAULT_BACKBONE } from '../config/sections.js';
import type { AggregatorRef } from '../config/study.js';
import type { ExperimentContext } from '../context.js';

/** The config's backbone (default: the lexical stand-in); one that learns from text sees the TRAIN turns only. */
export async function backboneOf(ctx: ExperimentContext, dataset: ConversationDataset): Promise<Backbone> {
  const backbone = await ctx.create<Backbone & { fit?(corpus: readonly string[]): void }>('Backbone', ctx.config.backbone ?? DEFAULT_BACKBONE, 'backbone');
  backbone.fit?.(dataset.split.train.flatMap((ci) => dataset.conversations[ci].turns.map((t) => t.text)));
  return backbone;
}

export function createAggregator(ctx: ExperimentContext, ref: AggregatorRef | undefined, dim: number, seed: number, field = 'study.aggregator'): Aggregator {
  return ctx.createWith<Aggregator>('Aggregator', aggregatorUse(ref), field, [
    [DEPS.InputDim, dim],
    [DEPS.Seed, seed],
  ]);
}

const MODEL_DIR = ['models', 'reindex'];

/** Saves the reindexed aggregator of an RTA run so `lmrec recommend --conversation` can serve it. */
export async function saveReindexed(ctx: ExperimentContext, aggregator: Aggregator, ref: AggregatorRef | undefined): Promise<void> {
  const dir = join(ctx.outDir, ...MODEL_DIR);
  const tensors = Object.fromEntries(
    Object.entries(aggregator.state()).map(([name, t]) => [name, { dtype: 'F32' as const, shape: t.shape, data: t.dataSync() as Float32Array }]),
  );
  await writeSafetensors(join(dir, 'aggregator.safetensors'), tensors);
  await writeJsonAtomic(join(dir, 'reindex.json'), { aggregator: aggregatorUse(ref), dim: aggregator.dim, seed: ctx.config.seed });
}

/** The Reindex model an RTA run saved: its backbone rebuilt from the config, its aggregator weights restored. */
export async function loadReindexed(ctx: ExperimentContext, dataset: ConversationDataset): Promise<{ model: ReindexModel; backbone: Backbone }> {
  const dir = join(ctx.outDir, ...MODEL_DIR);
  let meta: { aggregator: { name: string; options: Record<string, unknown> }; dim: number; seed: number };
  try {
    meta = JSON.parse(await fs.readFile(join(dir, 'reindex.json'), 'utf8'));
  } catch {
    throw new LmrecError('E_ARGUMENT', `${ctx.outDir} holds no reindexed model`, { hint: 'run an "rta" config to completion first' });
  }
  const backbone = await backboneOf(ctx, dataset);
  const aggregator = createAggregator(ctx, meta.aggregator, meta.dim, meta.seed);
  const file = await readSafetensors(join(dir, 'aggregator.safetensors'));
  const state = Object.fromEntries(Object.entries(file.tensors).map(([name, t]) => [name, tf.tensor(t.data as Float32Array, t.shape)]));
  aggregator.loadState(state);
  tf.dispose(Object.values(state));
  return { model: await ReindexModel.fromBackbone(backbone, aggregator, dataset.items.titles), backbone };
}
