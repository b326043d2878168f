/**
 * An RTA row (FISM gating or +Bias on the frozen sum, or the reindex step's rnn) in lmrec and in the
 * official loop, in lockstep: lmrec starts from the official loop's initial
 * weights and replays its shuffles and negatives (a dump of
 * bench/torch/reindex_official.py --dump) through lmrec's own Trainer,
 * AdamW, clipping and loss; after every epoch the two states, losses, gates
 * and VALID / TEST H@10 are compared. Whatever then parts the curves is
 * float rounding, not protocol.
 *   pnpm --filter @lmrec/adapt bench:lockstep [--row fism|fism-no-item-bias|bias|rnn] [--seed 0] [--epochs 200 (rnn: 40)] [--path fused|plain] [--dump DIR]
 * runs the official loop first when DIR (default <tmp>/lmrec-lockstep-<row>-<seed>-<epochs>)
 * holds no finished dump of this row, seed and epochs. Writes bench/results-lockstep-<row>.md (-plain: the unfused loss).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf, writeFileAtomic } from '@lmrec/core';
import { Selection, Trainer, type Sampler } from '@lmrec/recsys';
import { cliArg, machineInfo, NO_TORCH, sharedData, torchEnv, torchPython } from '../../../scripts/bench-utils.js';
import { LOCKSTEP_ROWS, lockstepRows } from './lockstep-rows.js';
import { loadRedialLexical } from './redial-lexical.js';

const rowName = cliArg('row', 'fism');
const isRow = (r: string): r is (typeof LOCKSTEP_ROWS)[number] => (LOCKSTEP_ROWS as readonly string[]).includes(r);
const seed = Number(cliArg('seed', '0'));
const epochs = Number(cliArg('epochs', rowName === 'rnn' ? '40' : '200'));
const path = cliArg('path', 'fused');
if (!isRow(rowName)) throw new Error(`--row: one of ${LOCKSTEP_ROWS.join(', ')}, got ${rowName}`);
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed: a whole number >= 0, got ${cliArg('seed', '')}`);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs: a whole number >= 1, got ${cliArg('epochs', '')}`);
if (path !== 'fused' && path !== 'plain') throw new Error(`--path: fused or plain, got ${path}`);
if (rowName === 'rnn' && path === 'plain') throw new Error('--path: the rnn row has one loss (reindexLoss); fused and plain are the adapt rows\' two');
const dump = cliArg('dump', join(tmpdir(), `lmrec-lockstep-${rowName}-${seed}-${epochs}`));
interface DumpEpoch {
  epoch: number;
  steps: { rows: number[]; neg: number[]; loss: number }[];
  valid: number;
  test: number;
  gate: number[];
}

const lexical = sharedData('redial_lexical');
const python = torchPython();
if (!lexical || !python) {
  console.log(`skipped: ${python ? '../shared/data/redial_lexical is needed' : NO_TORCH}`);
  process.exit(0);
}
await initBackend();
const data = await loadRedialLexical();
if (!data) process.exit(0);
const row = lockstepRows(data.nItems, data.backbone.dim)[rowName];
/** The run a finished dump holds (reindex_official.py writes it to `done`), or undefined. */
const dumpedRun = () => {
  try {
    return readFileSync(join(dump, 'done'), 'utf8');
  } catch {
    return undefined;
  }
};
const wanted = JSON.stringify({ mode: row.python, lr: row.lr, epochs, seed });
if (dumpedRun() !== wanted) {
  console.log(`running the official loop (${row.python}, seed ${seed}, ${epochs} epochs) into ${dump}`);
  const script = join(import.meta.dirname, 'torch', 'reindex_official.py');
  const r = spawnSync(python, [script, '--dump', dump, lexical, row.python, String(row.lr), String(epochs), String(seed), '1'], { env: torchEnv(1), stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`reindex_official.py --dump failed (exit ${r.status})`);
  if (dumpedRun() !== wanted) throw new Error(`${dump}/done holds ${dumpedRun() ?? 'nothing'}, expected ${wanted}`);
}
// the official loop may have stopped early (patience): replay the epochs it ran
const dumped: DumpEpoch[] = readFileSync(join(dump, 'epochs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const train = data.parts.train.set;

/** The official state_dict after `epoch` as lmrec state. */
const officialState = (epoch: number) => row.officialState(new Float32Array(readFileSync(join(dump, `state-${epoch}.f32`)).buffer.slice(0)), `${dump}/state-${epoch}.f32`);
const run = await row.setup(data, officialState(0), path);

/** Replays the dumped epochs' batches. */
class ReplaySampler implements Sampler<unknown> {
  readonly unit = 'examples';
  private next = 0;
  size = () => train.targets.length;
  *batches(): Iterable<{ batch: unknown; size: number }> {
    for (const s of dumped[this.next++].steps) yield { batch: run.batch(Int32Array.from(s.rows), s.neg), size: s.rows.length };
  }
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const gated = run.gate !== undefined;
const lines = [
  `## RTA in lockstep with the official loop: ${row.title}, seed ${seed} (redial_lexical)`,
  '',
  `Command: \`pnpm --filter @lmrec/adapt bench:lockstep --row ${rowName} --seed ${seed} --epochs ${epochs}${path === 'fused' ? '' : ' --path plain'}\`  `,
  `Machine: ${machineInfo()}`,
  '',
  `${row.title}, AdamW wd 0, clip 5; lmrec replays the official loop's seed-${seed} initial weights, shuffles and negatives (${rowName === 'rnn' ? 'reindexLoss' : `${path} loss`}). load ${loadavg()[0].toFixed(1)}`,
  '',
  `| epoch | loss official / lmrec |${gated ? ' gate official / lmrec |' : ''} VALID H@10 official / lmrec | TEST H@10 official / lmrec | max abs diff: ${row.compared.join(' / ')} |`,
  `|---|---|${gated ? '---|' : ''}---|---|---|`,
];
const curves: { epoch: number; official: number[]; lmrec: number[]; diff: number }[] = [];
/** The official schedule's pick (VALID every `row.every` epochs, kept on strict improvement, no patience): [epoch, valid, test], none before the first VALID. */
const kept = (side: 'official' | 'lmrec') => {
  const pick = new Selection('hit@10', Infinity, 0, false);
  const validated = curves.filter((c) => c.epoch % row.every === 0);
  validated.forEach((c, i) => pick.offer(i, { 'hit@10': c[side][0] }, () => ({})));
  const c = validated[pick.bestEpoch];
  return c ? [c.epoch, ...c[side]] : undefined;
};
const trainer = new Trainer({
  epochs: dumped.length,
  batchSize: 256,
  optimizer: { name: 'adamw', lr: row.lr, weightDecay: 0, clipNorm: 5 },
  evalEvery: 0,
  patience: Infinity,
  keepBest: false,
  seed: 0,
  onEpochEnd: async (r) => {
    const o = dumped[r.epoch - 1];
    const lossT = o.steps.reduce((s, x) => s + x.loss * x.rows.length, 0) / train.targets.length;
    const [v, t] = [await run.hit10('valid'), await run.hit10('test')];
    const theirs = officialState(r.epoch);
    const mine = run.trainable.state();
    const diffs = row.compared.map((k) => maxDiff(mine[k], theirs[k]));
    tf.dispose(Object.values(theirs));
    curves.push({ epoch: r.epoch, official: [o.valid, o.test], lmrec: [v, t], diff: Math.max(...diffs) });
    const gate = gated ? ` ${o.gate[0].toFixed(4)} / ${run.gate!().toFixed(4)} |` : '';
    const line = `| ${r.epoch} | ${lossT.toFixed(5)} / ${r.loss.toFixed(5)} |${gate} ${o.valid.toFixed(4)} / ${v.toFixed(4)} | ${o.test.toFixed(4)} / ${t.toFixed(4)} | ${diffs.map((x) => x.toExponential(2)).join(' / ')} |`;
    console.log(line);
    if (r.epoch <= 10 || r.epoch % 10 === 0 || dumped.length <= 40) lines.push(line);
  },
});
await trainer.train({ model: run.trainable, sampler: new ReplaySampler() });
const differ = curves.filter((c) => c.official[0] !== c.lmrec[0] || c.official[1] !== c.lmrec[1]).length;
const [ko, kl] = [kept('official'), kept('lmrec')];
const summary = [
  `Over ${curves.length} epochs: VALID or TEST H@10 differ at ${differ}; largest parameter difference ${Math.max(...curves.map((c) => c.diff)).toExponential(2)}.`,
  ko
    ? `Kept checkpoint (VALID every ${row.every} epochs, strict improvement): official epoch ${ko[0]} (valid ${ko[1].toFixed(4)}, test ${ko[2].toFixed(4)}), lmrec epoch ${kl![0]} (valid ${kl![1].toFixed(4)}, test ${kl![2].toFixed(4)}).`
    : `No checkpoint kept: fewer than ${row.every} epochs, the official schedule's VALID interval.`,
];
console.log(summary.join('\n'));
const shown = dumped.length <= 40 ? 'every epoch' : 'epochs 1-10, then every 10th';
lines.push('', ...summary, '', `Rows: ${shown}. ${new Date().toISOString()}`);
await writeFileAtomic(join(import.meta.dirname, `results-lockstep-${rowName}${path === 'fused' ? '' : '-plain'}.md`), `${lines.join('\n')}\n`);
