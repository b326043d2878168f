import { initBackend } from '@lmrec/core';
import { fromAlphaRecDir } from '../src/index.js';
await initBackend({ prefer: 'wasm' });
const { model, split } = await fromAlphaRecDir('/work/shared/data/ml100k-cf');
const c0 = process.cpuUsage(); const t0 = performance.now();
const r = await model.fit(split, { epochs: 3, evalEvery: 3 });
const c = process.cpuUsage(c0);
console.log(r.log.map((x) => x.seconds), 'wall', (performance.now() - t0) / 1000, 'cpu', (c.user + c.system) / 1e6);
