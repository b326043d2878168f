/**
 * Side by side: one train epoch of MF-BPR and LightGCN in lmrec and in
 * PyTorch (bench/torch/cf_epoch.py), same data (ml100k-cf), models and batch
 * (4096, drop last, the official AlphaRec-code settings), with 2 threads
 * each and with 1. Each measurement is a fresh process; the load average is
 * printed beside every ratio (PyTorch's OpenMP threads collapse on an
 * oversubscribed machine, so ratios under load are not comparable).
 *   pnpm --filter @lmrec/recsys bench:compare      (LMREC_PYTHON=python with torch)
 * Skipped with a note when torch or the data is absent.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { markdownTable, NO_TORCH, sharedData, torchEnv, torchGemmGflops, torchPython, writeBenchSection } from '../../../scripts/bench-utils.js';

const here = import.meta.dirname;
const dir = sharedData('ml100k-cf');
const epochs = Number(process.env.COMPARE_EPOCHS ?? 6);
const out = resolve(here, 'results-compare.md');


interface Timing {
  medianSeconds: number;
  medianStepSeconds?: number;
  medianStepCpuSeconds?: number;
  cpuSecondsPerEpoch?: number;
  losses: number[];
}

const lastJson = (text: string): Timing => JSON.parse(text.trim().split('\n').filter((l) => l.startsWith('{')).pop()!);
const load = () => loadavg()[0].toFixed(1);

function lmrec(model: string, threads: number): Timing {
  const args = ['--conditions=source', '--import', 'tsx', resolve(here, 'epoch-time.ts'), model, String(epochs)];
  return lastJson(execFileSync(process.execPath, args, { env: { ...process.env, LMREC_THREADS: String(threads) }, encoding: 'utf8', cwd: resolve(here, '..') }));
}

function torch(py: string, model: string, threads: number): Timing {
  return lastJson(execFileSync(py, [resolve(here, 'torch', 'cf_epoch.py'), dir!, '--model', model, '--threads', String(threads), '--epochs', String(epochs)], { encoding: 'utf8', env: torchEnv(threads) }));
}

const python = torchPython();
if (!dir || !python) {
  console.log(`skipped the PyTorch comparison: ${!dir ? '../shared/data/ml100k-cf is absent' : NO_TORCH}`);
  process.exit(0);
}
const rows: Record<string, string | number>[] = [];
for (const threads of (process.env.COMPARE_THREADS ?? '2,1').split(',').map(Number)) {
  for (const model of ['mf', 'lightgcn']) {
    const before = load();
    const t = torch(python, model, threads);
    const l = lmrec(model, threads);
    const row = {
      model,
      threads,
      'torch s/epoch (steps + sampler)': t.medianSeconds.toFixed(3),
      'torch s/epoch (steps)': (t.medianStepSeconds ?? NaN).toFixed(3),
      'lmrec s/epoch': l.medianSeconds.toFixed(3),
      'torch CPU s/epoch (steps)': (t.medianStepCpuSeconds ?? NaN).toFixed(3),
      'lmrec CPU s/epoch': (l.cpuSecondsPerEpoch ?? NaN).toFixed(3),
      'CPU ratio torch / lmrec': ((t.medianStepCpuSeconds ?? NaN) / (l.cpuSecondsPerEpoch ?? NaN)).toFixed(2),
      'ratio torch steps / lmrec (>= 1: lmrec faster)': ((t.medianStepSeconds ?? t.medianSeconds) / l.medianSeconds).toFixed(2),
      'load avg (1 min) before -> after': `${before} -> ${load()}`,
    };
    console.log(row);
    rows.push(row);
  }
}
writeBenchSection(
  out,
  'recsys: one train epoch, lmrec vs PyTorch',
  'pnpm --filter @lmrec/recsys bench:compare',
  `Data ml100k-cf (${dir.replace(/.*shared/, '../shared')}), batch 4096 with drop_last, Adam 5e-4, d 64, L2 1e-5, xavier_normal_ tables, LightGCN 2 layers; ` +
    `median of ${epochs} epochs, each figure a fresh process. lmrec: the fused BPR kernel (\`kernel: 'fused'\`), LMREC_THREADS = threads; its CPU is the median over epochs 2.. of the process CPU (all threads) per epoch (bench/epoch-time.ts). ` +
    `PyTorch ${python}: bench/torch/cf_epoch.py, torch.set_num_threads(threads), the official models' ops; its sampler is vectorised numpy and timed apart; its GEMM runs at ${torchGemmGflops(python).toFixed(1)} GFLOP/s (1 thread; the reference BLAS gives ~5, OpenBLAS ~75). ` +
    `\n\n` +
    markdownTable(rows),
);
