/**
 * How cost grows: LightGCN and AlphaRec train-step time and peak RSS on
 * synthetic data at 1M, 3M and 10M interactions (users = n / 50, items =
 * n / 100, every user 50 random items), and full-ranking evaluation at 50k,
 * 200k and 1M items (2,000 users, 20 train + 5 test items each, d 64).
 * Every point is a fresh child process (its VmHWM is the peak RSS). One
 * epoch = ceil(n / 4096) steps; epoch seconds are steps x the median step
 * (a few steps are timed, not whole epochs at 10M). Writes
 * bench/results-scaling.md and bench/scaling.svg.
 *   node --conditions=source --import tsx bench/scaling.ts            (all points)
 *   SCALING_SIZES=1e6,3e6 SCALING_ITEMS=5e4,2e5 ... (fewer)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Csr, initBackend, Rng, tf, type CfSplit } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { AdamOptimizer, InteractionSampler, LightGcn } from '@lmrec/recsys';
import { markdownTable, peakRssMiB, writeBenchSection } from '../../../scripts/bench-utils.js';
import { AlphaRecNet } from '../src/model.js';
import { AlphaRecSampler } from '../src/sampler.js';
import { mlpWidth } from '../src/width.js';
import { lineChart } from './svg-chart.js';

const BATCH = 4096;

function synthetic(nnz: number, perUser: number, nItems: number, seed = 1): CfSplit {
  const nUsers = Math.round(nnz / perUser);
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const seen = new Set<number>();
  for (let u = 0; u < nUsers; u++) {
    seen.clear();
    while (seen.size < perUser) seen.add(rng.int(nItems));
    rows.push([...seen]);
  }
  const train = Csr.fromRows(nItems, rows);
  const empty = Csr.fromRows(nItems, rows.map(() => []));
  return { nUsers, nItems, train, valid: empty, test: empty };
}

/** Median seconds of `steps` train steps (after one warm-up) of one model: sample, loss + gradient, Adam. */
async function trainPoint(model: string, nnz: number, steps: number): Promise<Record<string, number>> {
  const split = synthetic(nnz, 50, Math.round(nnz / 100));
  const rng = new Rng(2);
  let loss: (b: never) => tf.Scalar;
  let vars: tf.Variable[];
  let batches: Iterator<{ batch: unknown }>;
  if (model === 'lightgcn') {
    const m = new LightGcn({ layers: 2, init: 'xavier', reg: 1e-5 });
    m.init(split, rng);
    vars = m.trainableVariables();
    loss = (b) => m.loss(b);
    batches = new InteractionSampler(split.train, { dropLast: true }).batches(rng.fork('s'), BATCH)[Symbol.iterator]();
  } else {
    const d = 256;
    const data = Float32Array.from({ length: split.nItems * d }, () => rng.normal());
    const net = new AlphaRecNet({ dim: d, data }, { mapping: 'mlp', hidden: mlpWidth(d, { multiplier: 0.5 }), outDim: 64, slope: 0.01, layers: 2, tau: 0.15, negatives: 256, lossKernel: 'auto' });
    net.init(split, rng);
    vars = net.trainableVariables();
    loss = (b) => net.loss(b);
    batches = new AlphaRecSampler(split.train, { negatives: 256, dropLast: true }).batches(rng.fork('s'), BATCH)[Symbol.iterator]();
  }
  const opt = new AdamOptimizer(vars, { lr: 5e-4 });
  const times: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const t0 = performance.now();
    const { batch } = batches.next().value!;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => loss(batch as never), vars);
      opt.apply(vars.map((v) => grads[v.name]));
      value.dataSync();
    });
    if (s > 0) times.push((performance.now() - t0) / 1000);
  }
  const step = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return { users: split.nUsers, items: split.nItems, step, epoch: step * Math.ceil(nnz / BATCH) };
}

async function evalPoint(nItems: number): Promise<Record<string, number>> {
  const nUsers = 2000;
  const d = 64;
  const rng = new Rng(3);
  const rows = (k: number) => Array.from({ length: nUsers }, () => Array.from(new Set(Array.from({ length: k }, () => rng.int(nItems)))));
  const train = Csr.fromRows(nItems, rows(20));
  const test = Csr.fromRows(nItems, rows(5).map((r, u) => r.filter((j) => !train.row(u).includes(j))));
  const split: CfSplit = { nUsers, nItems, train, valid: Csr.fromRows(nItems, rows(0)), test };
  const users = Float32Array.from({ length: nUsers * d }, () => rng.normal());
  const itemsT = Float32Array.from({ length: nItems * d }, () => rng.normal());
  const scorer = { nItems, factors: () => ({ dim: d, users, itemsT }), scoreBlock: () => new Float32Array(0) };
  const before = peakRssMiB();
  const t0 = performance.now();
  await evaluateFullRanking(scorer, split, { on: 'test', ks: [20], aggregates: false });
  return { users: nUsers, seconds: (performance.now() - t0) / 1000, 'rss before eval MiB': before };
}

async function child(kind: string, size: number): Promise<void> {
  await initBackend();
  const r = kind === 'eval' ? await evalPoint(size) : await trainPoint(kind, size, size >= 5e6 ? 2 : 3);
  console.log(JSON.stringify({ ...r, peakRssMiB: peakRssMiB() }));
}

function run(kind: string, size: number): Record<string, number> {
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', import.meta.filename, kind, String(size)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const nums = (env: string | undefined, fallback: number[]) => (env ? env.split(',').map(Number) : fallback);

if (process.argv[2]) {
  await child(process.argv[2], Number(process.argv[3]));
} else {
  const sizes = nums(process.env.SCALING_SIZES, [1e6, 3e6, 1e7]);
  const itemSizes = nums(process.env.SCALING_ITEMS, [5e4, 2e5, 1e6]);
  const train: Record<string, string | number>[] = [];
  const series: Record<string, [number, number][]> = { 'LightGCN epoch s': [], 'AlphaRec epoch s': [] };
  for (const model of ['lightgcn', 'alpharec']) {
    for (const n of sizes) {
      const load = loadavg()[0].toFixed(1);
      const r = run(model, n);
      console.log(model, n, r);
      train.push({ model, interactions: n, users: r.users, items: r.items, 's / step (median)': r.step.toFixed(3), 's / epoch (steps x median)': r.epoch.toFixed(1), 'peak RSS MiB': r.peakRssMiB.toFixed(0), 'load avg': load });
      series[model === 'lightgcn' ? 'LightGCN epoch s' : 'AlphaRec epoch s'].push([n, r.epoch]);
    }
  }
  const evals: Record<string, string | number>[] = [];
  for (const n of itemSizes) {
    const load = loadavg()[0].toFixed(1);
    const r = run('eval', n);
    console.log('eval', n, r);
    evals.push({ items: n, users: r.users, seconds: r.seconds.toFixed(2), 'M scores/s': ((r.users * n) / r.seconds / 1e6).toFixed(0), 'peak RSS MiB': r.peakRssMiB.toFixed(0), 'RSS before eval MiB': r['rss before eval MiB'].toFixed(0), 'load avg': load });
  }
  writeFileSync(resolve(import.meta.dirname, 'scaling.svg'), lineChart('Train epoch seconds vs interactions (log-log)', series));
  writeBenchSection(
    resolve(import.meta.dirname, 'results-scaling.md'),
    'How cost grows: LightGCN, AlphaRec and full-ranking evaluation',
    'node --conditions=source --import tsx bench/scaling.ts (packages/alpharec)',
    'Synthetic data: users = n / 50 with 50 random items each, items = n / 100; batch 4096 (drop last); LightGCN 2 layers d 64 with the fused BPR kernel; ' +
      'AlphaRec 256-d random item vectors, MLP 256 -> 128 -> 64, 2 layers, 256 negatives. s / epoch = ceil(n / 4096) x the median step (a few steps timed per point, each point a fresh process). ' +
      'Both models propagate over the whole graph every step, as the papers and the official code do, so an epoch costs steps x nnz: quadratic in interactions at a fixed batch size.\n\n' +
      markdownTable(train) +
      '\nFull-ranking evaluation (factor scorer, K = 20, train items masked), 2,000 users:\n\n' +
      markdownTable(evals) +
      '\n![epoch seconds](scaling.svg)\n',
  );
}
