/**
 * Classic recommenders on MovieLens-100K (ratings >= 4, per-user 80/10/10,
 * seed 2024; the AlphaRec-layout split in ../shared/data/ml100k-cf):
 * epochs selected on VALID Recall@20, test Recall / NDCG / HR @20.
 *   pnpm --filter @lmrec/recsys bench            (all models)
 *   pnpm --filter @lmrec/recsys bench mf sasrec  (some)
 */
import { resolve } from 'node:path';
import { initBackend, type CfSplit, type Recommender } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { evaluateFullRanking } from '@lmrec/eval';
import { Fism, LightGcn, MfBpr, MultVae, Popularity, SasRec, type RecsysFitOptions, type TrainResult } from '../src/index.js';
import { markdownTable, peakRssMiB, sharedData, writeBenchSection } from '../../../scripts/bench-utils.js';

interface Case {
  name: string;
  create: () => Recommender;
  fit: RecsysFitOptions;
  note: string;
}

// Epoch caps and time budgets keep the whole run near 20 minutes on 2 cores;
// everything else is each paper's default (see README).
const CASES: Case[] = [
  { name: 'popularity', create: () => new Popularity(), fit: {}, note: 'train counts' },
  { name: 'mf', create: () => new MfBpr(), fit: { epochs: 400, evalEvery: 5, patience: 10, maxSeconds: 150 }, note: 'd=64, Adam 1e-3, batch 2048, reg 1e-4' },
  { name: 'lightgcn', create: () => new LightGcn(), fit: { epochs: 400, evalEvery: 5, patience: 10, maxSeconds: 300 }, note: '3 layers, d=64, Adam 1e-3, batch 2048, reg 1e-4' },
  { name: 'multvae', create: () => new MultVae(), fit: { epochs: 400, evalEvery: 5, patience: 10, maxSeconds: 150 }, note: '[600 -> 200], dropout 0.5, Adam 1e-3, batch 500, anneal cap 0.2 / 200k steps' },
  { name: 'fism', create: () => new Fism(), fit: { epochs: 100, evalEvery: 2, patience: 5, maxSeconds: 180 }, note: 'd=64, N(0, 0.01), full softmax, Adam 1e-3, batch 256' },
  { name: 'sasrec', create: () => new SasRec(), fit: { epochs: 400, evalEvery: 5, patience: 10, maxSeconds: 300 }, note: '2 blocks, 2 heads, d=64, dropout 0.1, maxLen 50, item-id order, full softmax, Adam 1e-3, batch 128' },
];

const dir = sharedData('ml100k-cf');
const out = resolve(import.meta.dirname, 'results.md');
const command = process.env.RECSYS_BENCH_COMMAND ?? 'pnpm --filter @lmrec/recsys bench';
if (!dir) {
  console.log('skipped: ../shared/data/ml100k-cf is absent');
  process.exit(0);
}
const backend = await initBackend();
const { split } = await loadAlphaRecDir(dir);
const only = process.argv.slice(2);
// RECSYS_BENCH_EPOCHS=2 gives a quick timing pass (numbers are then not converged)
const epochCap = process.env.RECSYS_BENCH_EPOCHS ? Number(process.env.RECSYS_BENCH_EPOCHS) : undefined;
const rows: Record<string, string | number>[] = [];

for (const c of CASES.filter((x) => only.length === 0 || only.includes(x.name))) {
  const model = c.create();
  const t0 = performance.now();
  const fit = (await model.fit(split, { ...c.fit, ...(epochCap ? { epochs: epochCap, evalEvery: 1 } : {}), seed: 2024, progress: { start: () => ({ tick() {}, set() {}, end() {} }), log: (m) => console.log(m) } })) as TrainResult | { epochs: number };
  const seconds = (performance.now() - t0) / 1000;
  const test = await evaluateFullRanking(model, split as CfSplit, { on: 'test', ks: [20], aggregates: false });
  const train = 'log' in fit ? fit : undefined;
  const trainSeconds = train ? train.log.reduce((s, r) => s + r.seconds, 0) : 0;
  const row = {
    model: c.name,
    'recall@20': test.metrics['recall@20'].mean,
    'ndcg@20': test.metrics['ndcg@20'].mean,
    'hr@20': test.metrics['hr@20'].mean,
    'valid recall@20 (best)': train?.bestMetrics?.['recall@20'] ?? '-',
    epochs: fit.epochs,
    'best epoch': train ? train.bestEpoch + 1 : '-',
    stop: train?.stopReason ?? '-',
    's/epoch': train && train.log.length ? trainSeconds / train.log.length : 0,
    'total s': seconds,
    settings: c.note,
  };
  rows.push(row);
  console.log(row);
  writeBenchSection(
    out,
    'recsys: classic recommenders on MovieLens-100K',
    command,
    `Split: ${dir.replace(/.*shared/, '../shared')} (${split.nUsers} users, ${split.nItems} items, ${split.train.nnz} / ${split.valid.nnz} / ${split.test.nnz} train / valid / test), backend ${backend.name}, seed 2024. ` +
      `Epoch chosen by VALID Recall@20 (evaluated every few epochs, early stopping, best weights restored), then TEST metrics once, full ranking with train + valid masked. ` +
      `s/epoch is training time only; total s includes evaluations. Peak RSS ${peakRssMiB().toFixed(0)} MiB.\n\n` +
      markdownTable(rows),
  );
  (model as { dispose?(): void }).dispose?.();
}
