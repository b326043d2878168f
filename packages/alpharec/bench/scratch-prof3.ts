import { initBackend, Rng } from '@lmrec/core';
import { fromAlphaRecDir } from '../src/index.js';
import { AlphaRecNet } from '../src/model.js';
import { infoNce } from '../src/infonce.js';
import { propagate } from '../src/graph.js';
await initBackend({ prefer: 'wasm' });
const { model, split } = await fromAlphaRecDir('/work/shared/data/ml100k-cf', { hidden: 128 });
const net = new AlphaRecNet(model.items!, model.netConfig());
net.init(split, new Rng(1));
const batches = [...net.sampler(split).batches(new Rng(2), 4096)];
const b = batches[0].batch;
const fb = net.mapping!.forwardWithBackward((net as any).x, (net as any).xT);
const e = propagate(net.adj!, fb.y, 64, 2);
for (let i = 0; i < 3; i++) { const t = performance.now(); infoNce(e.subarray(0, 938*64), e.subarray(938*64), 64, b, 0.15, (process.env.K as any) ?? 'dense'); console.log(performance.now() - t); }
