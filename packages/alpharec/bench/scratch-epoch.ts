import { initBackend } from '@lmrec/core';
import { fromAlphaRecDir } from '../src/index.js';
await initBackend({ prefer: 'wasm' });
const { model, split } = await fromAlphaRecDir('/work/shared/data/ml100k-cf', { hidden: Number(process.env.H ?? 128), lossKernel: (process.env.K as any) ?? 'auto' });
console.log(split.nUsers, split.nItems, split.train.nnz, model.items!.dim, model.items!.data.length);
const t0 = performance.now();
const r = await model.fit(split, { epochs: Number(process.env.E ?? 3), evalEvery: 3, progress: { start: () => ({ tick() {}, set() {}, end() {} }), log: (m) => console.log(m) } });
console.log(r.log, (performance.now() - t0) / 1000);
