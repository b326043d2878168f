import { LmrecError } from '@lmrec/core';
import { loadCfData } from '../experiments/data.js';
import { openRun } from './saved.js';
import { COMMON_OPTIONS, type Command } from './types.js';

interface Recommending {
  recommend?(request: { user?: number; history?: number[]; intention?: string; alpha?: number; k?: number }): Promise<{ items: Int32Array; scores: Float32Array }>;
  scoreHistories?(histories: readonly Int32Array[]): Float32Array | Promise<Float32Array>;
  scoreBlock(users: Int32Array): Float32Array | Promise<Float32Array>;
  nItems: number;
}

/** `lmrec recommend <run-dir>`: top-K for a known user, a new item history, and/or an intention text. */
export const recommendCommand: Command = {
  summary: 'top-K from a saved model: a user id, an item history, an intention text with alpha',
  usage: 'lmrec recommend <run-dir> --model LABEL (--user N | --history 3,17,42) [--intention TEXT --alpha 0.5] [--k 10]',
  options: {
    ...COMMON_OPTIONS,
    model: { type: 'string' },
    user: { type: 'string' },
    history: { type: 'string' },
    intention: { type: 'string' },
    alpha: { type: 'string' },
    k: { type: 'string', default: '10' },
  },
  async run({ values, positionals, progress }) {
    if (!positionals[0]) throw new Error(`usage: ${recommendCommand.usage}`);
    const run = await openRun(positionals[0], progress);
    const label = (values.model as string | undefined) ?? run.labels[0];
    const model = (await run.model(label)) as unknown as Recommending;
    const k = Number(values.k);
    const user = values.user === undefined ? undefined : Number(values.user);
    const history = values.history === undefined ? undefined : String(values.history).split(',').filter(Boolean).map(Number);
    const intention = values.intention as string | undefined;
    const alpha = values.alpha === undefined ? undefined : Number(values.alpha);
    let items: number[];
    let scores: number[];
    if (model.recommend) {
      const rec = await model.recommend({ user, history, intention, alpha, k });
      items = Array.from(rec.items);
      scores = Array.from(rec.scores);
    } else {
      if (intention) throw new LmrecError('E_ARGUMENT', `${label} does not take intentions (AlphaRec does)`, { field: 'intention' });
      let row: Float32Array;
      if (history) {
        if (!model.scoreHistories) throw new LmrecError('E_ARGUMENT', `${label} cannot score a new history; give --user`, { field: 'history' });
        row = (await model.scoreHistories([Int32Array.from(history)])).subarray(0, model.nItems);
      } else if (user !== undefined) {
        row = (await model.scoreBlock(Int32Array.of(user))).subarray(0, model.nItems);
      } else {
        throw new LmrecError('E_ARGUMENT', 'give --user or --history', { field: 'user' });
      }
      const seen = new Set(history ?? []);
      const order = Array.from(row.keys()).filter((j) => !seen.has(j)).sort((a, b) => row[b] - row[a] || a - b).slice(0, k);
      items = order;
      scores = order.map((j) => row[j]);
    }
    const data = await loadCfData(run.ctx).catch(() => undefined);
    const rows = items.map((item, r) => ({ rank: r + 1, item, score: Number(scores[r].toFixed(4)), title: data?.titles?.[item] ?? '' }));
    if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else for (const r of rows) process.stdout.write(`${String(r.rank).padStart(3)}  ${String(r.item).padStart(6)}  ${r.score.toFixed(4).padStart(8)}  ${r.title}\n`);
    return 0;
  },
};
