/**
 * CPU seconds per training epoch of the RTA steps on ../shared/data/redial_lexical
 * with the official settings (the rows of configs/rta-redial-lexical.yaml):
 * reindex with the rnn and trm aggregators, +Bias gW+b and FISM gating on the
 * frozen sum catalogue. Process CPU time (user + system) beside the load average,
 * since the 2-core machine is shared. Writes bench/epochs.md.
 *   pnpm --filter @lmrec/adapt exec tsx --conditions source bench/epochs.ts [--rnn-batches 18] [--trm-batches 1]
 * (a reindex epoch is 18 batches; fewer are timed and scaled, 0 skips the aggregator;
 *  --adapt-epochs 10: the adapt rows include building the frozen-logit cache once;
 *  --torch 1: also time the official aggregator modules in PyTorch, bench/torch/reindex_epoch.py,
 *  at 1 and 2 threads, with the python of LMREC_PYTHON, python3 or /usr/bin/python3 that has torch)
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend, writeFileAtomic } from '@lmrec/core';
import { FismNet } from '@lmrec/recsys';
import { createAggregator, dataLabelPairs, ReindexModel, SumAggregator, trainReindex } from '@lmrec/reindex';
import { BiasAdaptedModel, createAdapter, FixedItemIndex, GatedModel, RecSysGate, trainAdapt } from '../src/index.js';
import { loadRedialLexical } from './redial-lexical.js';
import { cliArg, NO_TORCH, torchEnv, torchGemmGflops, torchPython } from '../../../scripts/bench-utils.js';

const arg = (name: string, fallback: number) => Number(cliArg(name, String(fallback)));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function measure(label: string, units: string, run: () => Promise<number>): Promise<string> {
  const load0 = loadavg()[0];
  const c0 = cpu();
  const t0 = performance.now();
  const epochs = await run();
  const c = (cpu() - c0) / epochs;
  const w = (performance.now() - t0) / 1000 / epochs;
  const line = `| ${label} | ${units} | ${c.toFixed(2)} | ${w.toFixed(2)} | ${load0.toFixed(1)} - ${loadavg()[0].toFixed(1)} |`;
  console.log(line);
  return line;
}

/** Rows of PyTorch's epoch with the official aggregator module, 1 and 2 threads. */
function torchRows(name: 'rnn' | 'trm', steps: number, pairs: number): string[] {
  const py = torchPython();
  if (!py) return [`| torch ${name} | skipped: ${NO_TORCH} | - | - | - |`];
  const gemm = torchGemmGflops(py).toFixed(0);
  return [1, 2].map((threads) => {
    const load0 = loadavg()[0];
    const out = execFileSync(py, [join(import.meta.dirname, 'torch', 'reindex_epoch.py'), name, String(threads), String(steps), String(pairs)], { encoding: 'utf8', env: torchEnv(threads) });
    const t = JSON.parse(out.trim().split('\n').pop()!) as { epoch_s: number; step_s: number };
    const line = `| torch ${name}, official module, ${threads} thread${threads > 1 ? 's' : ''} (${py}, GEMM ${gemm} GFLOP/s) | median of ${steps} steps x ${(pairs / 256).toFixed(2)} | - | ${t.epoch_s.toFixed(2)} | ${load0.toFixed(1)} - ${loadavg()[0].toFixed(1)} |`;
    console.log(line);
    return line;
  });
}

await initBackend();
const data = await loadRedialLexical();
if (!data) process.exit(0);
const { backbone, nItems, titles } = data;
const d = backbone.dim;
const train = data.parts.train.examples;
const queries = data.parts.train.set.queries!;
const rows: string[] = [];

for (const [name, options, batches] of [
  ['rnn', { read: 'padded', padTo: 15 }, arg('rnn-batches', 18)],
  ['trm', { mask: false, padTo: 15, ffnDim: 2048 }, arg('trm-batches', 1)],
] as const) {
  if (batches === 0) continue;
  const n = Math.min(train.length, batches * 256);
  const model = await ReindexModel.fromBackbone(backbone, createAggregator(name, { dim: d, seed: 0, ...options }), titles);
  rows.push(
    await measure(`reindex ${name} ${JSON.stringify(options)}`, `${n} of ${train.length} pairs (x ${(train.length / n).toFixed(2)} = 1 epoch)`, async () => {
      await trainReindex(model, dataLabelPairs(queries.subarray(0, n * d), train.slice(0, n)), undefined, { maxEpochs: 1, lr: 1e-4, weightDecay: 0, clipNorm: 5 });
      return n / train.length;
    }),
  );
  model.aggregator.dispose();
  model.dispose();
  if (arg('torch', 0)) rows.push(...torchRows(name, name === 'trm' ? 2 : 4, train.length));
}

const sum = await ReindexModel.fromBackbone(backbone, new SumAggregator({ dim: d }), titles);
const frozen = FixedItemIndex.freeze(sum);
const set = data.parts.train.set;
const adaptEpochs = arg('adapt-epochs', 10);
const adaptOptions = { epochs: adaptEpochs, weightDecay: 0, clipNorm: 5, evalAtStart: false };
rows.push(await measure('+Bias gW+b (frozen sum)', `${train.length} examples, ${adaptEpochs} epochs`, async () => {
  const adapter = createAdapter('gW+b', nItems);
  await trainAdapt(new BiasAdaptedModel(frozen, adapter, 'bias'), set, undefined, { ...adaptOptions, learningRate: 1e-4 });
  adapter.dispose();
  return adaptEpochs;
}));
rows.push(await measure('+RecSys FISM gating (frozen sum, padRow)', `${train.length} examples, ${adaptEpochs} epochs`, async () => {
  const gate = new RecSysGate(new FismNet({ nItems, padRow: true, seed: 0 }));
  await trainAdapt(new GatedModel(frozen, gate, 'gating'), set, undefined, { ...adaptOptions, learningRate: 1e-3 });
  gate.dispose();
  return adaptEpochs;
}));

const md = [
  '| step | measured on | CPU s / epoch | wall s / epoch | load average (1 min, start - end) |',
  '|---|---|---:|---:|---|',
  ...rows,
  '',
  `Official code (PyTorch, same machine, wall s / epoch, issue 19): rnn 10, +Bias 0.21, FISM gating 0.56. The torch rows time the official modules' train step alone (no Lightning, no data loader); Debian's python3-torch links the system BLAS, so install libopenblas0-pthread (with the reference BLAS its matrix products run ~15x slower). ${new Date().toISOString()}`,
].join('\n');
await writeFileAtomic(join(import.meta.dirname, 'epochs.md'), `${md}\n`);
