// One scoreTopK measurement in a fresh process, so peak RSS belongs to it alone.
// Args: nUsers nItems dim k threads kernel(wasm|js). Prints one JSON line.
import { Rng, scoreTopK, scoreTopKReference, setKernelSettings } from '../src/index.js';
import { peakRssMiB } from '../../../scripts/bench-utils.js';
import { interactions, normalMatrix } from './data.js';

const [nUsers, nItems, dim, k, threads] = process.argv.slice(2, 7).map(Number);
const kernel = process.argv[7] ?? 'wasm';
setKernelSettings({ threads, wasm: kernel === 'wasm' });
const rng = new Rng(7);
const users = normalMatrix(rng, nUsers * dim, 0.3);
const itemsT = normalMatrix(rng, dim * nItems, 0.3);
const exclude = interactions(rng, nUsers, nItems, 30);
const rssBefore = peakRssMiB();
const c0 = process.cpuUsage();
const t0 = performance.now();
if (kernel === 'wasm') {
  scoreTopK({ users, itemsT, dim, nItems, k, exclude });
} else {
  // the plain JavaScript path, one block of 100 users at a time (its memory is rows x nItems)
  const block = 100;
  for (let b = 0; b < nUsers; b += block) {
    const rows = Math.min(block, nUsers - b);
    scoreTopKReference({ users: users.subarray(b * dim, (b + rows) * dim), itemsT, dim, nItems, k, exclude, rowIds: Int32Array.from({ length: rows }, (_, i) => b + i) });
  }
}
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, rssBefore, peakRss: peakRssMiB() }));
process.exit(0);
