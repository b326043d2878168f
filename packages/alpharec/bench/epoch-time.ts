/**
 * Train-epoch time of AlphaRec on ml100k-cf with the official settings
 * (256-d item vectors, MLP 256 -> 128 -> 64, 2 layers, 256 negatives, batch
 * 4096, Adam 5e-4), no evaluation: median wall and process CPU (all threads)
 * seconds per epoch over epochs 2.. (the first warms up). The official code:
 * 16.0 s per epoch (PyTorch 1.13 CPU, 2 threads, same machine; issue 19).
 *   pnpm --filter @lmrec/alpharec bench:epoch [epochs]
 */
import { loadavg } from 'node:os';
import { initBackend } from '@lmrec/core';
import { fromAlphaRecDir } from '../src/index.js';
import { sharedData } from '../../../scripts/bench-utils.js';

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
