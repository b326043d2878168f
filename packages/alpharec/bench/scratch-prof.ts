import { initBackend, Rng } from '@lmrec/core';
import { fromAlphaRecDir } from '../src/index.js';
import { AlphaRecNet } from '../src/model.js';
import { infoNce } from '../src/infonce.js';
import { propagate, propagateBackward } from '../src/graph.js';
await initBackend({ prefer: 'wasm' });
const { model, split } = await fromAlphaRecDir('/work/shared/data/ml100k-cf', { hidden: 128 });
const net = new AlphaRecNet(model.items!, model.netConfig());
net.init(split, new Rng(1));
let t = performance.now();
const batches = [...net.sampler(split).batches(new Rng(2), 4096)];
console.log('sample epoch', performance.now() - t);
const b = batches[0].batch;
for (let i = 0; i < 3; i++) { t = performance.now(); net.lossAndGrads(b); console.log('lossAndGrads', performance.now() - t); }
const fb = net.mapping!.forwardWithBackward((net as any).x, (net as any).xT);
t = performance.now(); const e = propagate(net.adj!, fb.y, 64, 2); console.log('prop', performance.now() - t);
for (const k of ['dense', 'sparse'] as const) { t = performance.now(); const r = infoNce(e.subarray(0, 938*64), e.subarray(938*64), 64, b, 0.15, k); console.log('infonce', k, performance.now() - t, r.loss); }
t = performance.now(); propagateBackward(net.adj!, e, 64, 2); console.log('propB', performance.now() - t);
t = performance.now(); fb.backward(e); console.log('mlpB', performance.now() - t);
t = performance.now(); net.mapping!.forwardWithBackward((net as any).x, (net as any).xT); console.log('mlpF', performance.now() - t);
