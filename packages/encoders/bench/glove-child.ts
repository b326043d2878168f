// One measurement in a fresh process (so RSS is this load's own): opens the GloVe table from `cacheDir`
// (converting it first when the folder is empty) and prints JSON with time and memory.
import { readFileSync } from 'node:fs';
import { openGloveVectors } from '../src/index.js';

const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
const [cacheDir] = process.argv.slice(2);
const rssBefore = status('VmRSS');
const t0 = performance.now();
const c0 = process.cpuUsage();
const table = await openGloveVectors({ cacheDir });
const cpu = process.cpuUsage(c0);
const wallMs = performance.now() - t0;
console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rssBefore, rssAfter: status('VmRSS'), peak: status('VmHWM'), size: table.size, dim: table.dim }));
