import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DEPS, LmrecError, readSafetensors, tf, writeJsonAtomic, writeSafetensors, type Aggregator, type Backbone, type DialogueTurn } from '@lmrec/core';
import type { ConversationDataset } from '@lmrec/datasets';
import { ReindexModel } from '@lmrec/reindex';
import type { ExperimentContext } from '../context.js';

export type AggregatorRef = string | { name: string; options?: Record<string, unknown> };

/** adapt's default aggregator: "weighted" whose Linear starts as the identity (a masked mean of the title tokens). */
export const DEFAULT_AGGREGATOR = { name: 'weighted', options: { linearInit: 'identity' } };

export function aggregatorRef(ref: AggregatorRef | undefined): { name: string; options: Record<string, unknown> } {
  if (ref === undefined) return DEFAULT_AGGREGATOR;
  return typeof ref === 'string' ? { name: ref, options: {} } : { name: ref.name, options: ref.options ?? {} };
}

/** The config's backbone (default: the lexical stand-in); one that learns from text sees the TRAIN turns only. */
export async function backboneOf(ctx: ExperimentContext, dataset: ConversationDataset): Promise<Backbone> {
  const ref = ctx.config.backbone ?? { name: 'lexical', options: {} };
  const backbone = await ctx.create<Backbone & { fit?(corpus: readonly string[]): void }>('Backbone', ref, 'backbone');
  backbone.fit?.(dataset.split.train.flatMap((ci) => dataset.conversations[ci].turns.map((t) => t.text)));
  return backbone;
}

export function createAggregator(ctx: ExperimentContext, ref: AggregatorRef | undefined, dim: number, seed: number, field = 'study.aggregator'): Aggregator {
  return ctx.createWith<Aggregator>('Aggregator', aggregatorRef(ref), field, [
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
  await writeJsonAtomic(join(dir, 'reindex.json'), { aggregator: aggregatorRef(ref), dim: aggregator.dim, seed: ctx.config.seed });
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

/** A typed conversation: "User: ..." / "System: ..." lines (also Seeker / Recommender); a line without a prefix continues the previous turn. */
export function parseConversation(text: string): DialogueTurn[] {
  const turns: DialogueTurn[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(user|seeker|system|recommender|assistant)\s*:\s*(.*)$/i.exec(line);
    if (m) turns.push({ role: /^(user|seeker)$/i.test(m[1]) ? 'seeker' : 'recommender', text: m[2], items: [] });
    else if (turns.length) turns[turns.length - 1].text += ` ${line}`;
    else turns.push({ role: 'seeker', text: line, items: [] });
  }
  if (turns.length === 0) throw new LmrecError('E_ARGUMENT', 'the conversation is empty', { hint: 'type lines like "User: I loved Alien, anything like it?"' });
  return turns;
}
