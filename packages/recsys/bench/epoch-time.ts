/**
 * Train-epoch wall time of MF-BPR and LightGCN on ml100k-cf with the official
 * AlphaRec-code settings (batch 4096, drop last, Adam 5e-4, reg 1e-5, d 64).
 *   node --conditions=source --import tsx bench/epoch-time.ts [mf|lightgcn] [epochs]
 * Prints one JSON line: median wall seconds per epoch, process CPU seconds per epoch and the losses.
 * No evaluation runs (evalEvery 0); the CPU seconds are the median over epochs 2.. of the process CPU
 * (all threads) between epoch ends, so training alone as the PyTorch side's (setup and the first,
 * warming epoch excluded); cpuSecondsPerEpochWithSetup divides the whole fit by the epochs.
 * LMREC_THREADS sets the kernel threads; KERNEL=tape times the taped tfjs ops instead of the fused kernel.
 */
import { initBackend } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { LightGcn, MfBpr } from '../src/index.js';
import { sharedData } from '../../../scripts/bench-utils.js';

const which = process.argv[2] ?? 'mf';
const epochs = Number(process.argv[3] ?? 5);
await initBackend();
const dir = sharedData('ml100k-cf');
if (!dir) {
  console.log('skipped: ../shared/data/ml100k-cf is not there');
  process.exit(0);
}
const { split } = await loadAlphaRecDir(dir);
const kernel = (process.env.KERNEL ?? 'fused') as 'fused' | 'tape';
const official = { batchSize: 4096, lr: 5e-4, reg: 1e-5, dim: 64, dropLast: true, init: 'xavier' as const, kernel };
const model = which === 'mf' ? new MfBpr(official) : new LightGcn({ ...official, layers: 2 });
const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const cpu0 = cpuSeconds();
const ends: number[] = [];
const fit = await model.fit(split, { epochs, evalEvery: 0, seed: 2024, onEpochEnd: () => void ends.push(cpuSeconds()) });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perEpoch = ends.slice(1).map((t, i) => t - ends[i]);
console.log(
  JSON.stringify({
    model: which,
    epochs,
    medianSeconds: median(fit.log.map((r) => r.seconds)),
    cpuSecondsPerEpoch: perEpoch.length ? median(perEpoch) : (ends[0] - cpu0) / epochs,
    cpuSecondsPerEpochWithSetup: (cpuSeconds() - cpu0) / epochs,
    losses: fit.log.map((r) => r.loss),
  }),
);
