/**
 * Where a training epoch of an RTA step spends its time, by tfjs kernel
 * (tf.profile), on ../shared/data/redial_lexical with the official settings.
 *   pnpm --filter @lmrec/adapt exec tsx --conditions source bench/profile-kernels.ts <rnn|trm|bias|fism> [epochs]
 * (rnn / trm: one reindex batch; bias / fism: `epochs` adapt epochs after one warm-up.)
 * For time spent outside kernels (the typed-array loops), run it under `node --cpu-prof`.
 */
import { initBackend, tf } from '@lmrec/core';
import { FismNet } from '@lmrec/recsys';
import { createAggregator, dataLabelPairs, ReindexModel, SumAggregator, trainReindex } from '@lmrec/reindex';
import { BiasAdaptedModel, createAdapter, FixedItemIndex, GatedModel, RecSysGate, trainAdapt } from '../src/index.js';
import { loadRedialLexical } from './redial-lexical.js';

const which = process.argv[2] ?? 'bias';
const epochs = Number(process.argv[3] ?? 3);
await initBackend();
const data = await loadRedialLexical();
if (!data) process.exit(0);
const d = data.backbone.dim;
const set = data.parts.train.set;

async function job(): Promise<() => Promise<unknown>> {
  if (which === 'rnn' || which === 'trm') {
    const options = which === 'rnn' ? ({ read: 'padded', padTo: 15 } as const) : ({ mask: false, padTo: 15, ffnDim: 2048 } as const);
    const model = await ReindexModel.fromBackbone(data!.backbone, createAggregator(which, { dim: d, seed: 0, ...options }), data!.titles);
    const pairs = dataLabelPairs(set.queries!.subarray(0, 256 * d), data!.parts.train.examples.slice(0, 256));
    return () => trainReindex(model, pairs, undefined, { maxEpochs: 1, lr: 1e-4, weightDecay: 0, clipNorm: 5 });
  }
  const frozen = FixedItemIndex.freeze(await ReindexModel.fromBackbone(data!.backbone, new SumAggregator({ dim: d }), data!.titles));
  const model =
    which === 'bias'
      ? new BiasAdaptedModel(frozen, createAdapter('gW+b', data!.nItems), 'bias')
      : new GatedModel(frozen, new RecSysGate(new FismNet({ nItems: data!.nItems, padRow: true, seed: 0 })), 'gating');
  return () => trainAdapt(model, set, undefined, { epochs, weightDecay: 0, clipNorm: 5, evalAtStart: false, learningRate: 1e-3 });
}

const run = await job();
await run();
const t0 = performance.now();
const info = await tf.profile(async () => {
  await run();
});
const wall = performance.now() - t0;
const by = new Map<string, { n: number; ms: number }>();
for (const k of info.kernels) {
  const e = by.get(k.name) ?? { n: 0, ms: 0 };
  e.n++;
  e.ms += Number(k.kernelTimeMs) || 0;
  by.set(k.name, e);
}
const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
console.log(`${which}: ${info.kernels.length} kernels, ${rows.reduce((s, [, e]) => s + e.ms, 0).toFixed(0)} ms in kernels, ${wall.toFixed(0)} ms wall`);
for (const [name, e] of rows.slice(0, 15)) console.log(`${name.padEnd(22)} ${String(e.n).padStart(6)} calls ${e.ms.toFixed(1).padStart(9)} ms`);
