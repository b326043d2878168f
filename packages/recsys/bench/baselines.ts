/**
 * The contrastive CF baselines of AlphaRec's Table 3 on MovieLens-100K
 * (../shared/data/ml100k-cf): epoch selected on VALID Recall@20, TEST
 * Recall / NDCG / HR @20 with standard errors over users, load average
 * recorded per row. One model at a time:
 *   nice -n 10 pnpm --filter @lmrec/recsys exec tsx bench/baselines.ts [sgl xsimgcl bcloss-mf bcloss-lightgcn]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { initBackend, type CfSplit, type Recommender } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { evaluateFullRanking } from '@lmrec/eval';
import { BcLoss, Sgl, XSimGcl, type RecsysFitOptions, type TrainResult } from '../src/index.js';
import { markdownTable, peakRssMiB, sharedData, writeBenchSection } from '../../../scripts/bench-utils.js';

const budget = Number(process.env.BASELINES_SECONDS ?? 480);
// lr 1e-2 (the papers use 1e-3): on a 2-core machine shared by ~6 jobs an SGL epoch takes 20-60 s, and 1e-3 would stop far from convergence
const fit: RecsysFitOptions = { epochs: 1000, lr: 1e-2, evalEvery: 2, patience: 5, maxSeconds: budget };
const CASES: { name: string; create: () => Recommender; note: string; fit?: RecsysFitOptions }[] = [
  { name: 'sgl', create: () => new Sgl({ sslWeight: 0.01 }), note: 'SGL-ED, rho 0.1, tau 0.2, lambda 0.01 (see notes), 3 layers, d=64, Adam 1e-2, batch 2048, reg 1e-4' },
  { name: 'xsimgcl', create: () => new XSimGcl({ sslWeight: 0.02 }), note: 'eps 0.2, tau 0.2, lambda 0.02 (see notes), L=2, l*=1, d=64, Adam 1e-2, batch 2048, reg 1e-4' },
  { name: 'bcloss-mf', create: () => new BcLoss({ backbone: 'mf' }), fit: { batchSize: 512 }, note: 'MF, tau1 0.1, tau2 0.1, lambda 0.5, 10 popularity groups, in-batch negatives, d=64, Adam 1e-2, batch 512 (2048 costs 8x LightGCN per step here)' },
  { name: 'bcloss-lightgcn', create: () => new BcLoss({ backbone: 'lightgcn' }), fit: { batchSize: 512 }, note: 'LightGCN 2 layers, otherwise as bcloss-mf' },
];

const dir = sharedData('ml100k-cf');
if (!dir) {
  console.log('skipped: ../shared/data/ml100k-cf is absent');
  process.exit(0);
}
const backend = await initBackend();
const { split } = await loadAlphaRecDir(dir);
const only = process.argv.slice(2);
const store = resolve(import.meta.dirname, 'baselines.json');
const saved: Record<string, Record<string, string | number>> = existsSync(store) ? JSON.parse(readFileSync(store, 'utf8')) : {};
const fmt = (m: { mean: number; se: number }) => `${m.mean.toFixed(4)} ± ${m.se.toFixed(4)}`;

for (const c of CASES.filter((x) => only.length === 0 || only.includes(x.name))) {
  const model = c.create();
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const train = (await model.fit(split as CfSplit, { ...fit, ...c.fit, seed: 2024, progress: { start: () => ({ tick() {}, set() {}, end() {} }), log: (m) => console.log(m) } })) as TrainResult;
  const seconds = (performance.now() - t0) / 1000;
  const test = await evaluateFullRanking(model, split as CfSplit, { on: 'test', ks: [20], aggregates: false });
  saved[c.name] = {
    model: c.name,
    'recall@20': fmt(test.metrics['recall@20']),
    'ndcg@20': fmt(test.metrics['ndcg@20']),
    'hr@20': fmt(test.metrics['hr@20']),
    'valid recall@20 (best)': train.bestMetrics?.['recall@20']?.toFixed(4) ?? '-',
    epochs: train.epochs,
    'best epoch': train.bestEpoch + 1,
    stop: train.stopReason === 'patience' ? 'converged (patience)' : `capped (${train.stopReason})`,
    's/epoch': (train.log.reduce((s, r) => s + r.seconds, 0) / Math.max(1, train.log.length)).toFixed(2),
    'total s': seconds.toFixed(0),
    load: `${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
    settings: c.note,
  };
  writeFileSync(store, JSON.stringify(saved, null, 2) + '\n');
  console.log(saved[c.name]);
  writeBenchSection(
    resolve(import.meta.dirname, 'baselines.md'),
    'recsys: contrastive CF baselines (SGL, XSimGCL, BC Loss) on MovieLens-100K',
    'nice -n 10 pnpm --filter @lmrec/recsys exec tsx bench/baselines.ts',
    `Split: ${dir.replace(/.*shared/, '../shared')} (${split.nUsers} users, ${split.nItems} items, ${split.train.nnz} / ${split.valid.nnz} / ${split.test.nnz}), backend ${backend.name}, seed 2024. ` +
      `Epoch chosen by VALID Recall@20 every 2 epochs (patience 5 evaluations, best weights restored), then TEST once, full ranking, train + valid masked; ± is the standard error over test users. ` +
      `Budget ${budget} s of wall clock per model: a "capped (time)" row is not converged. load = 1-minute load average at start -> end (2 cores, shared). Peak RSS ${peakRssMiB().toFixed(0)} MiB.\n\n` +
      markdownTable(CASES.filter((x) => saved[x.name]).map((x) => saved[x.name])),
  );
  (model as { dispose?(): void }).dispose?.();
}
