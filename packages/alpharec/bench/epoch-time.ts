/**
 * Train-epoch time of AlphaRec on ml100k-cf with the official settings
 * (256-d item vectors, MLP 256 -> 128 -> 64, 2 layers, 256 negatives, batch
 * 4096, Adam 5e-4), no evaluation: median wall and process CPU (all threads)
 * seconds per epoch over epochs 2.. (the first warms up). The official code:
 * 16.0 s per epoch (PyTorch 1.13 CPU, 2 threads, same machine; issue 19).
 * Then the same step in PyTorch (bench/torch/alpharec_epoch.py: the official
 * method's ops, sampler timed apart) at 1 and 2 threads, when a python with
 * torch is found (LMREC_PYTHON, python3, /usr/bin/python3). Debian's
 * python3-torch links the system BLAS: install libopenblas0-pthread, or its
 * matrix products run on the reference BLAS (~5 instead of ~75 GFLOP/s).
 *   pnpm --filter @lmrec/alpharec bench:epoch [epochs]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@lmrec/core';
import { fromAlphaRecDir } from '../src/index.js';
import { NO_TORCH, sharedData, torchEnv, torchGemmGflops, torchPython } from '../../../scripts/bench-utils.js';

const epochs = Number(process.argv[2] ?? 6);
const dir = sharedData('ml100k-cf');
if (!dir) {
  console.log('skipped: ../shared/data/ml100k-cf is absent');
  process.exit(0);
}
await initBackend();
const { split, model } = await fromAlphaRecDir(dir);
const load0 = loadavg()[0];
const marks: { wall: number; cpu: number }[] = [];
const mark = () => {
  const u = process.cpuUsage();
  marks.push({ wall: performance.now() / 1000, cpu: (u.user + u.system) / 1e6 });
};
mark();
await model.fit(split, { epochs, evalEvery: 0, onEpochEnd: () => void mark() });
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const per = (key: 'wall' | 'cpu') => median(marks.slice(2).map((m, i) => m[key] - marks[i + 1][key]));
console.log(JSON.stringify({ model: 'alpharec', epochs, wallSecondsPerEpoch: per('wall'), cpuSecondsPerEpoch: per('cpu'), official: 16.0, load: [load0, loadavg()[0]] }));

const python = torchPython();
const gemm = python ? torchGemmGflops(python) : NaN;
if (!python) console.log(`skipped the PyTorch step: ${NO_TORCH}`);
for (const threads of python ? [1, 2] : []) {
  const out = execFileSync(python!, [join(import.meta.dirname, 'torch', 'alpharec_epoch.py'), dir, '--threads', String(threads)], { encoding: 'utf8', env: torchEnv(threads) });
  const t = JSON.parse(out.trim().split('\n').pop()!) as { epoch_s: number };
  console.log(JSON.stringify({ threads, python, gemmGflops1Thread: gemm, ...t, model: 'alpharec (PyTorch step, official ops)', lmrecFasterBy: t.epoch_s / per('wall'), load: loadavg()[0] }));
}
