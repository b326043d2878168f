/**
 * Where one AlphaRec train step's time goes, phase by phase (sampler, MLP
 * forward, propagation, InfoNCE, propagation back, MLP backward, Adam), on
 * the synthetic data of bench/scaling.ts (users = n / 50 with 50 items each,
 * items = n / 100; 256-d vectors, batch 4096, 256 negatives). Mean wall
 * seconds of 5 steps after one warm-up. Or on a folder in AlphaRec's layout
 * (its train matrix and item vectors, e.g. ../shared/data/ml100k-cf).
 *   node --conditions=source --import tsx bench/step-profile.ts [interactions (default 1e6) | folder]
 */
import { Csr, initBackend, Rng, tf } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { AdamOptimizer, propagate, propagateBackward } from '@lmrec/recsys';
import { infoNce, type ContrastiveBatch } from '../src/infonce.js';
import { AlphaRecNet } from '../src/model.js';
import type { PooledRows } from '../src/pooled-input.js';
import { AlphaRecSampler } from '../src/sampler.js';
import type { ItemEmbeddings } from '../src/user-vectors.js';
import { mlpWidth } from '../src/width.js';

await initBackend();
const arg = process.argv[2] ?? '1e6';
const rng = new Rng(1);
const { train, items } = Number.isFinite(Number(arg)) ? synthetic(Number(arg)) : await folder(arg);
const [nUsers, nItems, d, out] = [train.nRows, train.nCols, items.dim, 64];
const empty = Csr.fromRows(nItems, []);
const net = new AlphaRecNet(items, { mapping: 'mlp', hidden: mlpWidth(d, { multiplier: 0.5 }), outDim: out, slope: 0.01, layers: 2, tau: 0.15, negatives: 256, lossKernel: 'auto' });
net.init({ nUsers, nItems, train, valid: empty, test: empty }, rng);
console.log(`${nUsers} users, ${nItems} items, ${train.nnz} train interactions, d ${d}`);

function synthetic(nnz: number): { train: Csr; items: ItemEmbeddings } {
  const [nI, nU, dim] = [nnz / 100, nnz / 50, 256];
  const rows = Array.from({ length: nU }, () => {
    const seen = new Set<number>();
    while (seen.size < 50) seen.add(rng.int(nI));
    return [...seen];
  });
  return { train: Csr.fromRows(nI, rows), items: { dim, data: Float32Array.from({ length: nI * dim }, () => rng.normal()) } };
}

async function folder(dir: string): Promise<{ train: Csr; items: ItemEmbeddings }> {
  const data = await loadAlphaRecDir(dir);
  if (!data.itemEmbeddings) throw new Error(`${dir}: no item vectors in item_info`);
  return { train: data.split.train, items: data.itemEmbeddings };
}
// the frozen inputs the loss reads (private to the model; this bench takes its step apart)
const { x } = net as unknown as { x: PooledRows };
const mapping = net.requireMapping();
const vars = net.trainableVariables();
const opt = new AdamOptimizer(vars, { lr: 5e-4 });
const batches = new AlphaRecSampler(train, { negatives: 256, dropLast: true }).batches(rng.fork('s'), 4096)[Symbol.iterator]();

/** Wall milliseconds per phase, summed over the timed steps. */
const ms: Record<string, number> = {};
let timing = false;
function timed<T>(phase: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  if (timing) ms[phase] = (ms[phase] ?? 0) + performance.now() - t0;
  return r;
}

const STEPS = 5;
for (let s = 0; s <= STEPS; s++) {
  timing = s > 0;
  const batch = timed('sampler', () => batches.next().value!.batch as ContrastiveBatch);
  const fb = timed('MLP forward', () => mapping.forwardWithBackward(x));
  const e = timed('propagation', () => propagate(net.adj!, fb.y, out, 2));
  const split = nUsers * out;
  const r = timed('InfoNCE', () => infoNce(e.subarray(0, split), e.subarray(split), out, batch, 0.15, 'auto'));
  const dE = new Float32Array(e.length);
  dE.set(r.dUsers, 0);
  dE.set(r.dItems, split);
  const dE0 = timed('propagation back', () => propagateBackward(net.adj!, dE, out, 2));
  const g = timed('MLP backward', () => fb.backward(dE0));
  fb.dispose();
  timed('Adam', () => tf.tidy(() => opt.apply(mapping.names.map((n, i) => tf.tensor(g[n], vars[i].shape)))));
}
const total = Object.values(ms).reduce((a, b) => a + b, 0);
for (const [phase, v] of Object.entries(ms)) console.log(`${phase.padEnd(18)} ${(v / STEPS / 1000).toFixed(3)} s  ${((100 * v) / total).toFixed(0)}%`);
console.log(`${'step'.padEnd(18)} ${(total / STEPS / 1000).toFixed(3)} s`);
