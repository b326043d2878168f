import { promises as fs } from 'node:fs';
import { Csr, LmrecError, topKBlock } from '@lmrec/core';
import { isConversationDataset, loadCfData, loadDataset } from '../experiments/data.js';
import { loadReindexed, parseConversation } from '../experiments/rta-model.js';
import { openRun, type SavedRun } from './saved.js';
import { COMMON_OPTIONS, type Command, type CommandInput } from './types.js';

interface Recommending {
  recommend?(request: { user?: number; history?: number[]; intention?: string; alpha?: number; k?: number }): Promise<{ items: Int32Array; scores: Float32Array }>;
  scoreHistories?(histories: readonly Int32Array[]): Float32Array | Promise<Float32Array>;
  scoreBlock(users: Int32Array): Float32Array | Promise<Float32Array>;
  nItems: number;
}

interface Ranked {
  items: number[];
  scores: number[];
  titles?: readonly string[];
}

/** Best k of one score row, skipping `seen`; ties to the lower id (core's top-K). */
function topOf(row: Float32Array, k: number, seen: readonly number[]): { items: number[]; scores: number[] } {
  const top = topKBlock(row, 1, row.length, Math.min(k, row.length), { exclude: Csr.fromRows(row.length, [seen]) });
  const n = top.ids.indexOf(-1) < 0 ? top.ids.length : top.ids.indexOf(-1);
  return { items: Array.from(top.ids.subarray(0, n)), scores: Array.from(top.scores.subarray(0, n)) };
}

/** A CF run's saved model: a known user, a new history, and/or an intention (AlphaRec). */
async function fromCfModel(run: SavedRun, values: CommandInput['values'], k: number): Promise<Ranked> {
  const label = (values.model as string | undefined) ?? run.labels[0];
  const model = (await run.model(label)) as unknown as Recommending;
  const user = values.user === undefined ? undefined : Number(values.user);
  const history = values.history === undefined ? undefined : String(values.history).split(',').filter(Boolean).map(Number);
  const intention = values.intention as string | undefined;
  const alpha = values.alpha === undefined ? undefined : Number(values.alpha);
  const titles = (await loadCfData(run.ctx).catch(() => undefined))?.titles;
  if (model.recommend) {
    const rec = await model.recommend({ user, history, intention, alpha, k });
    return { items: Array.from(rec.items), scores: Array.from(rec.scores), titles };
  }
  if (intention) throw new LmrecError('E_ARGUMENT', `${label} does not take intentions (AlphaRec does)`, { field: 'intention' });
  let row: Float32Array;
  if (history) {
    if (!model.scoreHistories) throw new LmrecError('E_ARGUMENT', `${label} cannot score a new history; give --user`, { field: 'history' });
    row = (await model.scoreHistories([Int32Array.from(history)])).subarray(0, model.nItems);
  } else if (user !== undefined) {
    row = (await model.scoreBlock(Int32Array.of(user))).subarray(0, model.nItems);
  } else {
    throw new LmrecError('E_ARGUMENT', 'give --user, --history or --conversation', { field: 'user' });
  }
  return { ...topOf(row, k, history ?? []), titles };
}

/** An RTA run's reindexed model: the typed conversation through the backbone, ranked by q . V. */
async function fromConversation(run: SavedRun, source: string, k: number): Promise<Ranked> {
  const dataset = await loadDataset(run.ctx, run.config.dataset);
  if (!isConversationDataset(dataset)) throw new LmrecError('E_ARGUMENT', `${run.ctx.outDir} is not a conversational (rta) run`, { field: 'conversation' });
  const text = source === '-' ? await readStdin() : await fs.readFile(source, 'utf8');
  const { model, backbone } = await loadReindexed(run.ctx, dataset);
  try {
    const [q] = await backbone.contextVectors([parseConversation(text)]);
    return { ...topOf(model.score(q), k, []), titles: dataset.items.titles };
  } finally {
    model.dispose();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `lmrec recommend <run-dir>`: top-K for a user, an item history, an intention text, or a typed conversation. */
export const recommendCommand: Command = {
  summary: 'top-K from a saved run: a user id, an item history, an intention text with alpha, or a conversation on stdin',
  usage: 'lmrec recommend <run-dir> (--model LABEL (--user N | --history 3,17,42) [--intention TEXT --alpha 0.5] | --conversation FILE|-) [--k 10]',
  options: {
    ...COMMON_OPTIONS,
    model: { type: 'string' },
    user: { type: 'string' },
    history: { type: 'string' },
    intention: { type: 'string' },
    alpha: { type: 'string' },
    conversation: { type: 'string' },
    k: { type: 'string', default: '10' },
  },
  async run({ values, positionals, progress }) {
    if (!positionals[0]) throw new Error(`usage: ${recommendCommand.usage}`);
    const run = await openRun(positionals[0], progress);
    const k = Number(values.k);
    const ranked = values.conversation !== undefined ? await fromConversation(run, String(values.conversation), k) : await fromCfModel(run, values, k);
    const rows = ranked.items.map((item, r) => ({ rank: r + 1, item, score: Number(ranked.scores[r].toFixed(4)), title: ranked.titles?.[item] ?? '' }));
    if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else for (const r of rows) process.stdout.write(`${String(r.rank).padStart(3)}  ${String(r.item).padStart(6)}  ${r.score.toFixed(4).padStart(8)}  ${r.title}\n`);
    return 0;
  },
};
