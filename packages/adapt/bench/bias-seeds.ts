/**
 * Why +Bias (gW+b, frozen sum, official settings) and FISM gating move with
 * the seed on redial_lexical: for each seed, VALID Recall@10 (389 examples)
 * and TEST H@10 (2,364) of every checkpoint the official schedule evaluates
 * (every 10 epochs), the gate value with --kind fism, and the one keep-best
 * selects. Writes bench/bias-seeds-<kind>.md.
 *   pnpm --filter @lmrec/adapt exec tsx --conditions source bench/bias-seeds.ts [--seeds 0,1,2] [--kind gW+b|b|gW|fism] [--lr 1e-4 (fism: 1e-3)]
 *     [--item-bias false: FISM without its per-item bias, the official train.py default; writes bias-seeds-fism-no-item-bias.md]
 *     [--out NAME.md: write bench/NAME.md instead, so a run over other seeds keeps the earlier table]
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf, writeFileAtomic } from '@lmrec/core';
import { ReindexModel, SumAggregator } from '@lmrec/reindex';
import { meanSe } from '@lmrec/eval';
import { FismNet } from '@lmrec/recsys';
import { BiasAdaptedModel, createAdapter, FixedItemIndex, GatedModel, RecSysGate, trainAdapt, validRecall, type AdaptModel, type AdapterKind } from '../src/index.js';
import { loadRedialLexical } from './redial-lexical.js';
import { cliArg } from '../../../scripts/bench-utils.js';

const seeds = cliArg('seeds', '0,1,2').split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds: whole numbers >= 0 separated by commas, got ${cliArg('seeds', '')}`);
const kind = cliArg('kind', 'gW+b') as AdapterKind | 'fism';
const lr = Number(cliArg('lr', kind === 'fism' ? '1e-3' : '1e-4'));
const epochs = Number(cliArg('epochs', '200'));
const every = Number(cliArg('every', '10'));
const itemBias = cliArg('item-bias', 'true');
if (itemBias !== 'true' && itemBias !== 'false') throw new Error(`--item-bias: true or false, got ${itemBias}`);
const out = cliArg('out', `bias-seeds-${kind}${kind === 'fism' && itemBias === 'false' ? '-no-item-bias' : ''}.md`);
if (!/^[\w+.-]+\.md$/.test(out)) throw new Error(`--out: a file name ending in .md (written to bench/), got ${out}`);

await initBackend();
const data = await loadRedialLexical();
if (!data) process.exit(0);
const sum = await ReindexModel.fromBackbone(data.backbone, new SumAggregator({ dim: data.backbone.dim }), data.titles);
const frozen = FixedItemIndex.freeze(sum);
const title = kind === 'fism' ? `+RecSys FISM gating (official PAD row${itemBias === 'true' ? '' : ', no FISM item bias'})` : `+Bias ${kind}`;
const lines = [`${title} (frozen sum), lr ${lr}, ${epochs} epochs, AdamW wd 0, clip 5, valid every ${every} epochs, patience 10, no initial evaluation. load ${loadavg()[0].toFixed(1)}`, ''];
const header = ['seed', 'selected epoch', 'test H@10 (selected)', ...Array.from({ length: epochs / every }, (_, i) => `ep ${(i + 1) * every} valid / test`)];
lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
const selected: number[] = [];
const last: number[] = [];
for (const seed of seeds) {
  const part = kind === 'fism' ? new RecSysGate(new FismNet({ nItems: data.nItems, padRow: true, itemBias: itemBias === 'true', seed })) : createAdapter(kind, data.nItems);
  const model: AdaptModel = part instanceof RecSysGate ? new GatedModel(frozen, part, `fism-${seed}`) : new BiasAdaptedModel(frozen, part, `bias-${seed}`);
  const snapshots = new Map<number, Record<string, tf.Tensor>>();
  const r = await trainAdapt(model, data.parts.train.set, data.parts.valid.set, {
    epochs, learningRate: lr, weightDecay: 0, clipNorm: 5, evalEvery: every, patience: 10, evalAtStart: false, seed,
    onEpoch: (log) => {
      if (log.valid !== undefined) snapshots.set(log.epoch, Object.fromEntries(Object.entries(model.state()).map(([k, t]) => [k, tf.clone(t)])));
    },
  });
  const selectedTest = await validRecall(model, data.parts.test.set, 10);
  selected.push(selectedTest);
  const cells: string[] = [];
  const lastEpoch = Math.max(...snapshots.keys());
  for (const [epoch, state] of snapshots) {
    model.loadState(state);
    const test = await validRecall(model, data.parts.test.set, 10);
    const valid = r.log.find((l) => l.epoch === epoch)?.valid ?? NaN;
    const gate = model.describe?.().gate;
    if (epoch === lastEpoch) last.push(test);
    cells.push(`${valid.toFixed(4)} / ${test.toFixed(4)}${gate === undefined ? '' : ` (gate ${gate.toFixed(3)})`}${epoch === r.bestEpoch ? ' *' : ''}`);
    tf.dispose(Object.values(state));
  }
  const row = `| ${seed} | ${r.bestEpoch} | ${selectedTest.toFixed(4)} | ${cells.join(' | ')} |`;
  console.log(row);
  lines.push(row);
  part.dispose();
}
const meanSd = (xs: number[]) => {
  const { mean, se } = meanSe(xs, 1);
  return `${mean.toFixed(4)} ± ${(se * Math.sqrt(xs.length)).toFixed(4)} (${Math.min(...xs).toFixed(4)} - ${Math.max(...xs).toFixed(4)})`;
};
lines.push('', `Over ${seeds.length} seeds, test H@10 mean ± SD (range): kept checkpoint ${meanSd(selected)}; last evaluated epoch ${meanSd(last)}.`);
lines.push('', `\\* = the checkpoint keep-best selected (highest valid, earliest on ties). ${new Date().toISOString()}`);
await writeFileAtomic(join(import.meta.dirname, out), `${lines.join('\n')}\n`);
