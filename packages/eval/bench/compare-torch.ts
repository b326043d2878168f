/**
 * Side by side: full-ranking scoring in lmrec and in PyTorch
 * (bench/torch/full_rank.py), same shapes (50k items, d 64, ~20 masked items
 * per user, K 20, random factors), with 2 threads each and with 1. lmrec is
 * timed twice: the whole evaluator (mask, top-K, metrics) and its
 * score + mask + top-K kernel alone; PyTorch scores, masks and takes top-K
 * (no metrics). Each figure is a fresh process; the load average is printed
 * beside every ratio.
 *   pnpm --filter @lmrec/eval bench:compare      (LMREC_PYTHON=python with torch)
 * Skipped with a note when torch is absent.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { markdownTable, NO_TORCH, torchEnv, torchGemmGflops, torchPython, writeBenchSection } from '../../../scripts/bench-utils.js';

const here = import.meta.dirname;
const users = Number(process.env.COMPARE_USERS ?? 10_000);
/** bench/run.ts's catalogue (its N_ITEMS). */
const N_ITEMS = 50_000;
/** Timed passes per figure after a warm-up, best kept, on both sides (full_rank.py --repeat). */
const REPEAT = 3;
const load = () => loadavg()[0].toFixed(1);

function lmrec(threads: number): { seconds: number; kernel: number } {
  const args = [...process.execArgv, resolve(here, 'run.ts'), '--child', String(users), 'factors', String(REPEAT)];
  const out = execFileSync(process.execPath, args, { env: { ...process.env, LMREC_THREADS: String(threads) }, encoding: 'utf8', maxBuffer: 1 << 24 });
  const r = JSON.parse(out.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7));
  return { seconds: r.seconds, kernel: r['scoreTopK alone, s'] };
}

function torch(py: string, threads: number): { seconds: number } {
  const out = execFileSync(py, [resolve(here, 'torch', 'full_rank.py'), '--users', String(users), '--threads', String(threads), '--repeat', String(REPEAT)], { encoding: 'utf8', env: torchEnv(threads) });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const python = torchPython();
if (!python) {
  console.log(`skipped the PyTorch comparison: ${NO_TORCH}`);
  process.exit(0);
}
const rows: Record<string, string | number>[] = [];
for (const threads of (process.env.COMPARE_THREADS ?? '2,1').split(',').map(Number)) {
  const before = load();
  const t = torch(python, threads);
  const l = lmrec(threads);
  const mScores = (s: number) => ((users * N_ITEMS) / s / 1e6).toFixed(0);
  const row = {
    threads,
    users,
    'torch s (score + mask + top-K)': t.seconds.toFixed(2),
    'lmrec s (whole evaluator)': l.seconds.toFixed(2),
    'lmrec s (kernel alone)': l.kernel.toFixed(2),
    'torch M scores/s': mScores(t.seconds),
    'lmrec M scores/s (evaluator)': mScores(l.seconds),
    'ratio torch / lmrec evaluator (>= 1: lmrec faster)': (t.seconds / l.seconds).toFixed(2),
    'load avg (1 min) before -> after': `${before} -> ${load()}`,
  };
  console.log(row);
  rows.push(row);
}
writeBenchSection(
  resolve(here, 'results-compare.md'),
  'eval: full-ranking scoring, lmrec vs PyTorch',
  'pnpm --filter @lmrec/eval bench:compare',
  `Random factors, ${N_ITEMS.toLocaleString('en-US')} items, d 64, ~20 masked items per user, K 20, ${users.toLocaleString('en-US')} users; each figure a fresh process. ` +
    `Each side: one warm-up pass, then the best of ${REPEAT}. ` +
    'lmrec: `evaluateFullRanking` on a factor scorer (core scoreTopK, LMREC_THREADS = threads; it also computes recall / precision / ndcg / hr / mrr and coverage / poprank / gini), and the kernel alone (bench/run.ts). ' +
    `PyTorch ${python}: bench/torch/full_rank.py, users @ items.T in blocks of 1,024 users, masked scores set to -inf, torch.topk; no metrics. Its GEMM runs at ${torchGemmGflops(python).toFixed(1)} GFLOP/s (1 thread).\n\n` +
    markdownTable(rows),
);
