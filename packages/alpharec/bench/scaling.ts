/**
 * How cost grows: LightGCN and AlphaRec train-step time and peak RSS on
 * synthetic data at 1M, 3M and 10M interactions (users = n / 50, items =
 * n / 100, every user 50 random items), and full-ranking evaluation at 50k,
 * 200k and 1M items (2,000 users, 20 train + 5 test items each, d 64).
 * Every point is a fresh child process (its VmHWM is the peak RSS). One
 * epoch = ceil(n / 4096) steps; epoch seconds are steps x the median step
 * (7 steps are timed, 3 at 10M: not whole epochs). Writes
 * bench/results-scaling.md and bench/scaling.svg. With torch (Debian's
 * python3-torch), the same steps in PyTorch beside each point
 * (recsys/bench/torch/cf_epoch.py and torch/alpharec_epoch.py --synthetic,
 * as many threads as lmrec).
 *   node --conditions=source --import tsx bench/scaling.ts            (all points)
 *   SCALING_SIZES=1e6,3e6 SCALING_ITEMS=5e4,2e5 SCALING_USERS=2e3,2e4 (fewer points)
 *   SCALING_TAPE=1: step through the tfjs tape even where the model has a host step (A/B of the two paths)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Csr, initBackend, Rng, tf, type CfSplit } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { AdamOptimizer, InteractionSampler, LightGcn, type HostStep } from '@lmrec/recsys';
import { markdownTable, NO_TORCH, peakRssMiB, resetPeakRss, torchEnv, torchPython, writeBenchSection } from '../../../scripts/bench-utils.js';
import { AlphaRecNet } from '../src/model.js';
import { AlphaRecSampler } from '../src/sampler.js';
import { mlpWidth } from '../src/width.js';
import { lineChart } from './svg-chart.js';

const BATCH = 4096;
const EVAL_USERS = 2000;
/** The users sweep's catalogue: its points differ only in the number of users. */
const SWEEP_ITEMS = 50_000;

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

/** Median seconds of `steps` train steps (after one warm-up) of one model, as the Trainer takes them: sample, loss + gradient, Adam. */
async function trainPoint(model: string, nnz: number, steps: number): Promise<Record<string, number>> {
  const split = synthetic(nnz, 50, Math.round(nnz / 100));
  const rng = new Rng(2);
  let loss: (b: never) => tf.Scalar;
  let host: ((b: never) => HostStep | undefined) | undefined;
  let vars: tf.Variable[];
  let batches: Iterator<{ batch: unknown }>;
  if (model === 'lightgcn') {
    const m = new LightGcn({ layers: 2, init: 'xavier', reg: 1e-5 });
    m.init(split, rng);
    vars = m.trainableVariables();
    loss = (b) => m.loss(b);
    host = (b) => m.hostStep(b);
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
    // the Trainer's step: the model's host step when it has one, else the tape
    const h = process.env.SCALING_TAPE ? undefined : host?.(batch as never);
    if (h) opt.applyHost(h.params, h.grads);
    else {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => loss(batch as never), vars);
        opt.apply(vars.map((v) => grads[v.name]));
        value.dataSync();
      });
    }
    if (s > 0) times.push((performance.now() - t0) / 1000);
  }
  const step = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return { users: split.nUsers, items: split.nItems, step, epoch: step * Math.ceil(nnz / BATCH) };
}

async function evalPoint(nItems: number, nUsers: number): Promise<Record<string, number>> {
  const d = 64;
  const rng = new Rng(3);
  const rows = (k: number) => Array.from({ length: nUsers }, () => Array.from(new Set(Array.from({ length: k }, () => rng.int(nItems)))));
  const train = Csr.fromRows(nItems, rows(20));
  const test = Csr.fromRows(nItems, rows(5).map((r, u) => r.filter((j) => !train.row(u).includes(j))));
  const split: CfSplit = { nUsers, nItems, train, valid: Csr.fromRows(nItems, rows(0)), test };
  const users = Float32Array.from({ length: nUsers * d }, () => rng.normal());
  const itemsT = Float32Array.from({ length: nItems * d }, () => rng.normal());
  const scorer = { nItems, factors: () => ({ dim: d, users, itemsT }), scoreBlock: () => new Float32Array(0) };
  // the inputs are built: collect their garbage and reset the peak, so the peak that follows is the evaluation's own
  globalThis.gc?.();
  const before = process.memoryUsage.rss() / 2 ** 20;
  if (!resetPeakRss()) throw new Error('scaling: cannot reset the peak RSS (/proc/self/clear_refs), so the evaluation peak would include building the inputs');
  const t0 = performance.now();
  const result = await evaluateFullRanking(scorer, split, { on: 'test', ks: [20], aggregates: false });
  return { users: result.n, seconds: (performance.now() - t0) / 1000, 'rss before eval MiB': before };
}

/** Steps timed per train point. */
const stepsAt = (nnz: number) => (nnz >= 5e6 ? 3 : 7);

async function child(kind: string, size: number, users: number): Promise<void> {
  await initBackend();
  const r = kind === 'eval' ? await evalPoint(size, users) : await trainPoint(kind, size, stepsAt(size));
  console.log(JSON.stringify({ ...r, peakRssMiB: peakRssMiB() }));
}

function run(kind: string, size: number, users = EVAL_USERS): Record<string, number> {
  const args = ['--expose-gc', '--conditions=source', '--import', 'tsx', import.meta.filename, kind, String(size), String(users)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** This machine's L3 cache size as sysfs gives it, or nothing. */
function l3Cache(): string {
  try {
    return ` (this machine's L3 cache: ${readFileSync('/sys/devices/system/cpu/cpu0/cache/index3/size', 'utf8').trim()})`;
  } catch {
    return '';
  }
}

/** How LightGCN's cost per interaction moves between the smallest and largest point, beside its embedding table's size. */
function gcnNote(points: { n: number; step: number; tableMB: number }[]): string {
  if (points.length < 2) return '';
  const [lo, hi] = [points[0], points[points.length - 1]];
  const growth = hi.step / hi.n / (lo.step / lo.n);
  const m = (n: number) => `${n / 1e6}M`;
  return (
    ` The LightGCN cost per step and M interactions changes ${growth.toFixed(1)}x from ${m(lo.n)} to ${m(hi.n)}; its SpMM gathers random rows of an embedding table of ` +
    `${lo.tableMB.toFixed(1)} MB at ${m(lo.n)} and ${hi.tableMB.toFixed(1)} MB at ${m(hi.n)}${l3Cache()}.`
  );
}

/** Threads lmrec's kernels use here (LMREC_THREADS, else every core): PyTorch gets as many. */
const THREADS = Number(process.env.LMREC_THREADS ?? cpus().length);
/** PyTorch's median step (its batch's sampling included, as lmrec's) and peak RSS on the same synthetic sizes. */
function torchPoint(python: string, model: string, n: number, steps: number): { step: number; peakRssMiB: number } {
  const [script, args] =
    model === 'lightgcn'
      ? [resolve(import.meta.dirname, '..', '..', 'recsys', 'bench', 'torch', 'cf_epoch.py'), ['--model', 'lightgcn']]
      : [resolve(import.meta.dirname, 'torch', 'alpharec_epoch.py'), []];
  const out = execFileSync(python, [script, '--synthetic', String(n), '--steps', String(steps), '--threads', String(THREADS), ...args], { encoding: 'utf8', env: torchEnv(THREADS), maxBuffer: 1 << 24 });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  return model === 'lightgcn' ? { step: r.medianStepSeconds, peakRssMiB: r.peakRssMiB } : { step: r.step_with_sampling_s, peakRssMiB: r.peak_rss_mib };
}

const nums = (env: string | undefined, fallback: number[]) => (env ? env.split(',').map(Number) : fallback);

if (process.argv[2]) {
  await child(process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? EVAL_USERS));
} else {
  const sizes = nums(process.env.SCALING_SIZES, [1e6, 3e6, 1e7]);
  const itemSizes = nums(process.env.SCALING_ITEMS, [5e4, 2e5, 1e6]);
  const userSizes = nums(process.env.SCALING_USERS, [2e3, 2e4, 2e5]);
  const train: Record<string, string | number>[] = [];
  const series: Record<string, [number, number][]> = { 'LightGCN epoch s': [], 'AlphaRec epoch s': [] };
  const gcn: { n: number; step: number; tableMB: number }[] = [];
  const python = torchPython();
  for (const model of ['lightgcn', 'alpharec']) {
    for (const n of sizes) {
      const load = loadavg()[0].toFixed(1);
      const r = run(model, n);
      console.log(model, n, r);
      const torch = python ? torchPoint(python, model, n, stepsAt(n)) : undefined;
      if (torch) console.log('torch', model, n, torch);
      const vsTorch = torch ? { 'PyTorch s / step': torch.step.toFixed(3), 'PyTorch peak RSS MiB': torch.peakRssMiB.toFixed(0), 'lmrec speed-up': `${(torch.step / r.step).toFixed(1)}x` } : { 'PyTorch s / step': '-', 'PyTorch peak RSS MiB': '-', 'lmrec speed-up': '-' };
      train.push({ model, interactions: n, users: r.users, items: r.items, 's / step (median)': r.step.toFixed(3), 's / step per M interactions': (r.step / (n / 1e6)).toFixed(3), 's / epoch (steps x median)': r.epoch.toFixed(1), 'peak RSS MiB': r.peakRssMiB.toFixed(0), ...vsTorch, 'load avg': load });
      const label = model === 'lightgcn' ? 'LightGCN' : 'AlphaRec';
      series[`${label} epoch s`].push([n, r.epoch]);
      if (torch) (series[`PyTorch ${label} epoch s`] ??= []).push([n, torch.step * Math.ceil(n / BATCH)]);
      if (model === 'lightgcn') gcn.push({ n, step: r.step, tableMB: ((r.users + r.items) * 64 * 4) / 1e6 });
    }
  }
  const evalRow = (n: number, users: number) => {
    const load = loadavg()[0].toFixed(1);
    const r = run('eval', n, users);
    console.log('eval', n, users, r);
    const before = r['rss before eval MiB'];
    return {
      items: n,
      users: r.users,
      seconds: r.seconds.toFixed(2),
      'M scores/s': ((r.users * n) / r.seconds / 1e6).toFixed(0),
      'peak RSS MiB': r.peakRssMiB.toFixed(0),
      'RSS before eval MiB': before.toFixed(0),
      'eval adds MiB': (r.peakRssMiB - before).toFixed(0),
      'load avg': load,
    };
  };
  const evals = itemSizes.map((n) => evalRow(n, EVAL_USERS));
  const userEvals = userSizes.map((u) => evalRow(SWEEP_ITEMS, u));
  writeFileSync(resolve(import.meta.dirname, 'scaling.svg'), lineChart('Train epoch seconds vs interactions (log-log)', series));
  writeBenchSection(
    resolve(import.meta.dirname, 'results-scaling.md'),
    'How cost grows: LightGCN, AlphaRec and full-ranking evaluation',
    'node --conditions=source --import tsx bench/scaling.ts (packages/alpharec)',
    'Synthetic data: users = n / 50 with 50 random items each, items = n / 100; batch 4096 (drop last); LightGCN 2 layers d 64 with the fused BPR kernel, stepped on the host as the Trainer does; ' +
      'AlphaRec 256-d random item vectors, MLP 256 -> 128 -> 64, 2 layers, 256 negatives. s / epoch = ceil(n / 4096) x the median step (7 steps timed per point, 3 at 10M; each point a fresh process). ' +
      'Both models propagate over the whole graph every step, as the papers and the official code do, so an epoch costs steps x nnz: quadratic in interactions at a fixed batch size; the cost of one step is what can be linear (the per-M column).' +
      gcnNote(gcn) +
      (python
        ? ` PyTorch: the same steps, batch sampling included (LightGCN: torch.sparse.mm over D^-1/2 A D^-1/2, BPR with L2 1e-5, Adam, recsys/bench/torch/cf_epoch.py --synthetic; AlphaRec: the official method's MLP, propagation, cosine InfoNCE over 256 negatives, Adam, bench/torch/alpharec_epoch.py --synthetic), on data of the same distribution (scripts/bench_synthetic.py, not the same draws), ${THREADS} thread${THREADS > 1 ? 's' : ''} like lmrec, in its own process right after lmrec's point.`
        : ` PyTorch columns skipped: ${NO_TORCH}.`) +
      '\n\n' +
      markdownTable(train) +
      `\nFull-ranking evaluation (factor scorer, K = 20, train items masked), ${EVAL_USERS.toLocaleString('en-US')} users:\n\n` +
      markdownTable(evals) +
      `\nThe same at ${SWEEP_ITEMS.toLocaleString('en-US')} items with more users. "RSS before eval" holds the inputs (user factors, the train and test CSRs), which grow with the users; ` +
      '"eval adds" is the peak RSS during the evaluation minus the RSS before it (score tiles, masks, top-K heaps, and the per-user metric values it returns):\n\n' +
      markdownTable(userEvals) +
      '\n![epoch seconds](scaling.svg)\n',
  );
}
