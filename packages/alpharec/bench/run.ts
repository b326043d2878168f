/**
 * AlphaRec and the linear mapping on ml100k-cf (AlphaRec layout, 256-d item
 * vectors): valid-selected test metrics, epochs, seconds per epoch, peak RSS.
 * Run: pnpm --filter @lmrec/alpharec bench   (ALPHAREC_BENCH_CAP_S caps the wall time per model, default 360 s, 0 = none;
 * ALPHAREC_BENCH_OUT names the output file in bench/, default results.md)
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@lmrec/core';
import { evaluateFullRanking } from '@lmrec/eval';
import { AlphaRec, LinearMapping, fromAlphaRecDir } from '../src/index.js';
import { markdownTable, peakRssMiB, sharedData, writeBenchSection } from '../../../scripts/bench-utils.js';

const out = join(import.meta.dirname, process.env.ALPHAREC_BENCH_OUT ?? 'results.md');
const command = 'pnpm --filter @lmrec/alpharec bench';
const dir = sharedData('ml100k-cf');
if (!dir) {
  console.log('skipped: ../shared/data/ml100k-cf is absent');
  writeBenchSection(out, 'AlphaRec on ml100k-cf', command, '_skipped: ../shared/data/ml100k-cf is absent_\n');
  process.exit(0);
}
const backend = await initBackend();
const capSeconds = Number(process.env.ALPHAREC_BENCH_CAP_S ?? 360) || Infinity; // 0 = no cap (full protocol)
const maxEpochs = Number(process.env.ALPHAREC_BENCH_EPOCHS ?? 500);
const { split, model: probe } = await fromAlphaRecDir(dir);
const items = probe.items!;
console.log(`ml100k-cf: ${split.nUsers} users, ${split.nItems} items, ${split.train.nnz} train, ${items.dim}-d vectors, backend ${backend.name}`);

type Row = Record<string, string | number>;
const rows: Row[] = [];
const notes: string[] = [];

async function run(label: string, model: AlphaRec) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const load0 = loadavg()[0];
  let capped = false;
  let bestTestLeak = { epoch: 0, recall: 0, ndcg: 0, hr: 0 };
  const fit = await model.fit(split, {
    seed: 2024,
    epochs: maxEpochs,
    progress: { start: () => ({ tick() {}, set() {}, end() {} }), log: (m) => console.log(m) },
    onEpochEnd: async (record) => {
      if (record.valid) {
        // the reference code's protocol (select on TEST), tracked for comparison only
        const scorer = model.net!.scorer();
        const r = await evaluateFullRanking(scorer, split, { on: 'test', ks: [20], aggregates: false });
        if (r.metrics['recall@20'].mean > bestTestLeak.recall) {
          bestTestLeak = { epoch: record.epoch, recall: r.metrics['recall@20'].mean, ndcg: r.metrics['ndcg@20'].mean, hr: r.metrics['hr@20'].mean };
        }
      }
      if ((performance.now() - t0) / 1000 > capSeconds) {
        capped = true;
        return false;
      }
      return true;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const test = await evaluateFullRanking(model, split, { on: 'test', ks: [10, 20, 50] });
  const trainSeconds = fit.log.reduce((s, r) => s + r.seconds, 0);
  const evalSeconds = fit.log.reduce((s, r) => s + (r.evalSeconds ?? 0), 0);
  const m = (k: string) => test.metrics[k].mean;
  rows.push({
    model: label,
    'recall@20': m('recall@20'),
    'ndcg@20': m('ndcg@20'),
    'hr@20': m('hr@20'),
    'recall@10': m('recall@10'),
    'recall@50': m('recall@50'),
    'best epoch (valid)': fit.bestEpoch + 1,
    'epochs run': fit.epochs,
    stop: capped ? `time cap ${capSeconds} s` : fit.stoppedEarly ? 'early stop' : 'max epochs',
    's / epoch (train, wall)': trainSeconds / fit.log.length,
    'CPU s / epoch (all)': cpuSeconds / fit.log.length,
    's / valid eval': evalSeconds / Math.max(1, fit.log.filter((r) => r.valid).length),
    'total s': seconds,
    'load avg': `${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
  });
  notes.push(
    `- ${label}: the reference code's test-selected numbers (a leak, for comparison only): recall@20 ${bestTestLeak.recall.toFixed(4)}, ndcg@20 ${bestTestLeak.ndcg.toFixed(4)}, hr@20 ${bestTestLeak.hr.toFixed(4)} at epoch ${bestTestLeak.epoch}.`,
  );
  console.log(rows[rows.length - 1]);
  model.dispose();
}

// The reference runs this file as lm_model "v3" (its name for text-embedding-3-large), multiplier 1/2: hidden = 128 for 256-d.
await run('AlphaRec (MLP 256-128-64, L=2)', new AlphaRec({ itemEmbeddings: items, multiplier: 1 / 2 }));
await run('Linear mapping (256-64, no bias, L=0)', new LinearMapping({ itemEmbeddings: items }));

const body = [
  `Data: ml100k-cf, ${split.nUsers} users, ${split.nItems} items, ${split.train.nnz} train / ${split.valid.nnz} valid / ${split.test.nnz} test interactions, ${items.dim}-d item vectors (TF-IDF + SVD stand-in, see the dataset's PROVENANCE.md).`,
  `Protocol: full ranking, train (+valid at test) masked, epoch selected on VALID recall@20 (evaluated every 5 epochs, patience 20 evaluations, up to ${maxEpochs} epochs, ${Number.isFinite(capSeconds) ? `wall-time cap ${capSeconds} s per model` : 'no wall-time cap'}), test metrics at the selected epoch. Adam lr 5e-4, batch 4096 (drop last), 256 negatives with replacement, tau 0.15, seed 2024, backend ${backend.name}, tfjs ${tf.version.tfjs}.`,
  '',
  markdownTable(rows),
  '',
  ...notes,
  '',
  `Peak RSS: ${peakRssMiB().toFixed(0)} MiB (whole process, both models).`,
  '',
  'Seconds per epoch include sampling (45,056 samples x 256 negatives), the MLP over all 2,385 nodes, 2-layer propagation and the loss with its hand-written gradient, every step. "CPU s / epoch" is this process\'s user + system CPU time over the whole fit (training, valid evaluation and the leak-tracking test evaluation) divided by the epochs: the work per epoch, robust to other jobs on the machine (the computation is single-threaded). The machine is shared with other jobs (load average in the table, 2 cores): wall timings are upper bounds.',
].join('\n');
writeBenchSection(out, 'AlphaRec on ml100k-cf', command, body);
console.log(body);
