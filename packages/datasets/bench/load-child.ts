// Loads one MovieLens folder in a fresh process so peak RSS is the loader's alone.
import { loadMovieLens } from '../src/index.js';
import { peakRssMiB } from '../../../scripts/bench-utils.js';

const dir = process.argv[2];
const baseline = peakRssMiB();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const ds = await loadMovieLens({ dir });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const m = ds.interactions;
const csrBytes = m.indptr.byteLength + m.indices.byteLength;
const allBytes = csrBytes + (ds.ratings?.byteLength ?? 0) + (ds.timestamps?.byteLength ?? 0);
const s = ds.stats();
console.log(JSON.stringify({ ms, cpuMs, peakRss: peakRssMiB(), baseline, csrBytes, allBytes, users: s.users, items: s.items, interactions: s.interactions }));
