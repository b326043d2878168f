/**
 * Mean VALID / TEST H@10 curves over seeds, the official loop (PyTorch,
 * bench/official-seeds/<row>.jsonl) beside lmrec (bias-seeds tables), with the
 * difference at each evaluated epoch in standard errors of the difference of
 * two means (Welch). Seeds draw different random streams on the two sides, so
 * only distributions compare; a seed range run apart from an earlier one
 * replicates (or not) what that one showed.
 *   pnpm --filter @lmrec/adapt exec tsx bench/seed-curves.ts --row fism --seeds 20-39 --lmrec bias-seeds-fism-no-item-bias-20-39.md[,more.md]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanSe } from '@lmrec/eval';
import { cliArg } from '../../../scripts/bench-utils.js';

const [lo, hi] = cliArg('seeds').split('-').map(Number);
if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi)) throw new Error(`--seeds: a range like 20-39, got ${cliArg('seeds')}`);
const inRange = (s: number) => s >= lo && s <= hi;

/** epoch -> [valid, test] per seed. */
type Curves = Map<number, { valid: number[]; test: number[] }>;
const add = (c: Curves, epoch: number, valid: number, test: number) => {
  const e = c.get(epoch) ?? { valid: [], test: [] };
  e.valid.push(valid);
  e.test.push(test);
  c.set(epoch, e);
};

function official(row: string): { curves: Curves; seeds: number } {
  const curves: Curves = new Map();
  const file = join(import.meta.dirname, 'official-seeds', `${row}.jsonl`);
  const runs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seed: number; curve: number[][] });
  const kept = runs.filter((r) => inRange(r.seed));
  for (const r of kept) for (const [epoch, v, t] of r.curve) add(curves, epoch, v, t);
  return { curves, seeds: kept.length };
}

/** A bias-seeds table: header cells "ep N valid / test", rows "| seed | kept | test | v / t (gate g) | ...". */
function lmrec(files: string[]): { curves: Curves; seeds: number } {
  const curves: Curves = new Map();
  let seeds = 0;
  for (const name of files) {
    const lines = readFileSync(join(import.meta.dirname, name), 'utf8').split('\n');
    const header = lines.find((l) => l.startsWith('| seed |'));
    if (!header) throw new Error(`${name}: no "| seed |" header row`);
    const epochs = header.split('|').slice(4, -1).map((c) => Number(/ep (\d+)/.exec(c)?.[1]));
    for (const line of lines.filter((l) => /^\| \d+ \|/.test(l))) {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      if (!inRange(Number(cells[0]))) continue;
      seeds++;
      cells.slice(3).forEach((cell, i) => {
        const [v, t] = cell.split('/').map((x) => Number.parseFloat(x));
        add(curves, epochs[i], v, t);
      });
    }
  }
  return { curves, seeds };
}

/** "official / lmrec (difference in SE)" for one metric at one epoch. */
function cell(a: number[], b: number[]): string {
  const x = meanSe(a, 1);
  const y = meanSe(b, 1);
  return `${x.mean.toFixed(4)} / ${y.mean.toFixed(4)} (${((y.mean - x.mean) / Math.hypot(x.se, y.se)).toFixed(1)})`;
}

const off = official(cliArg('row'));
const ours = lmrec(cliArg('lmrec').split(','));
console.log(`seeds ${lo}-${hi}: official loop ${off.seeds}, lmrec ${ours.seeds}`);
console.log('| epoch | VALID H@10 official / lmrec (lmrec - official, SE) | TEST H@10 official / lmrec (SE) |');
console.log('|---|---|---|');
for (const [epoch, o] of [...off.curves].sort((p, q) => p[0] - q[0])) {
  const l = ours.curves.get(epoch);
  if (!l || l.valid.length < 2 || o.valid.length < 2) continue;
  console.log(`| ${epoch} | ${cell(o.valid, l.valid)} | ${cell(o.test, l.test)} |`);
}
