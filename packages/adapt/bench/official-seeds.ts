/**
 * The official RTA loops over several seeds, in PyTorch (bench/torch/reindex_official.py:
 * the official code's models and training loop without Lightning, which does not
 * install here), on ../shared/data/redial_lexical. The official scripts set no
 * seed, so the figure each row of issue 19 quotes is one unseeded draw; this
 * shows the spread the official code itself has, beside lmrec's in results-parity.md.
 * Every finished seed is kept in bench/official-seeds/<row>.jsonl (rewritten
 * atomically), so rows and seeds can be run apart, in parallel processes for
 * different rows; bench/results-official-seeds.md is rendered from all of them.
 *   pnpm --filter @lmrec/adapt bench:official-seeds [--rows sum,rnn-1e-4,rnn-1e-3,bias,fism,fism-bias] [--seeds 0,1,2]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '@lmrec/core';
import { meanSe } from '@lmrec/eval';
import { cliArg, machineInfo, NO_TORCH, sharedData, torchEnv, torchPython } from '../../../scripts/bench-utils.js';

/** Each row: the python arguments and the official figure quoted in issue 19 (test H@10 ± SE). */
const ROWS: Record<string, { args: string[]; official: string; label: string }> = {
  sum: { args: ['sum', '0', '0'], official: '.0317 ± .0036', label: 'Reindex sum (untrained)' },
  'rnn-1e-4': { args: ['rnn', '1e-4', '40'], official: '.0317 ± .0036', label: 'Reindex rnn, lr 1e-4, 40 epochs' },
  'rnn-1e-3': { args: ['rnn', '1e-3', '40'], official: '.0728 ± .0053', label: 'Reindex rnn, lr 1e-3, 40 epochs' },
  bias: { args: ['bias', '1e-4', '200'], official: '.0778 ± .0055', label: '+Bias (frozen sum), lr 1e-4, 200 epochs' },
  fism: { args: ['fism', '1e-3', '200'], official: '.1531 ± .0074 (gate .069)', label: '+RecSys FISM gating (frozen sum), lr 1e-3, 200 epochs' },
  'fism-bias': { args: ['fism-bias', '1e-3', '200'], official: '.1531 ± .0074 (gate .069)', label: '+RecSys FISM gating with FISM item bias (the official scripts\' --recsys_with_bias True)' },
};

interface SeedResult {
  row: string;
  seed: number;
  kept_epoch: number;
  last_epoch?: number;
  valid: number;
  test: [number, number];
  kept_gate?: number;
  load: string;
}

const storeDir = join(import.meta.dirname, 'official-seeds');
const store = (row: string) => join(storeDir, `${row}.jsonl`);
const rows = cliArg('rows', 'sum,rnn-1e-4,rnn-1e-3,bias,fism').split(',');
const seeds = cliArg('seeds', '0,1,2').split(',').map(Number);
const unknown = rows.filter((r) => !ROWS[r]);
if (unknown.length > 0) throw new Error(`--rows: unknown ${unknown.join(', ')} (known: ${Object.keys(ROWS).join(', ')})`);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds: whole numbers >= 0 separated by commas, got ${cliArg('seeds', '')}`);

const data = sharedData('redial_lexical');
const python = torchPython();
if (!data) console.log('skipped: ../shared/data/redial_lexical is needed');
else if (!python) console.log(`skipped: ${NO_TORCH}`);
else {
  mkdirSync(storeDir, { recursive: true });
  for (const row of rows) {
    let results = readRow(row);
    const load0 = loadavg()[0].toFixed(1);
    const child = spawn(python, [join(import.meta.dirname, 'torch', 'reindex_official.py'), data, ...ROWS[row].args, seeds.join(','), '1'], { env: torchEnv(1), stdio: ['ignore', 'pipe', 'inherit'] });
    // listen before reading: 'close' can come as soon as stdout ends
    const exitCode = new Promise((done) => child.on('close', done));
    for await (const line of createInterface({ input: child.stdout })) {
      const r = { row, ...(JSON.parse(line) as Omit<SeedResult, 'row' | 'load'>), load: `${load0} - ${loadavg()[0].toFixed(1)}` };
      console.log(`${row} seed ${r.seed}: test H@10 ${r.test[0].toFixed(4)} (kept epoch ${r.kept_epoch})`);
      results = [...results.filter((x) => x.seed !== r.seed), r];
      await writeFileAtomic(store(row), `${results.map((x) => JSON.stringify(x)).join('\n')}\n`);
    }
    if ((await exitCode) !== 0) throw new Error(`reindex_official.py ${row} failed`);
  }
  await writeFileAtomic(join(import.meta.dirname, 'results-official-seeds.md'), render(Object.keys(ROWS).flatMap(readRow)));
}

function readRow(row: string): SeedResult[] {
  if (!existsSync(store(row))) return [];
  return readFileSync(store(row), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as SeedResult);
}

function render(results: SeedResult[]): string {
  const fmt = (x: number) => x.toFixed(4).replace(/^0/, '');
  const lines = Object.entries(ROWS).flatMap(([key, { official, label }]) => {
    const rs = results.filter((r) => r.row === key).sort((a, b) => a.seed - b.seed);
    if (rs.length === 0) return [];
    const tests = rs.map((r) => r.test[0]);
    const { mean, se } = meanSe(tests, 1);
    const sd = rs.length > 1 ? ` ± ${fmt(se * Math.sqrt(rs.length))}` : '';
    const perSeed = rs.map((r) => `${r.seed}: ${fmt(r.test[0])}${r.kept_gate === undefined ? '' : ` g ${r.kept_gate.toFixed(3)}`} @${r.kept_epoch}`).join(', ');
    return [`| ${label} | ${official} | ${fmt(mean)}${sd} (${fmt(Math.min(...tests))} - ${fmt(Math.max(...tests))}) | ${rs.length} | ${perSeed} | ${[...new Set(rs.map((r) => r.load))].join(', ')} |`];
  });
  return [
    '## RTA: the official loops over seeds, in PyTorch (redial_lexical)',
    '',
    'Command: `pnpm --filter @lmrec/adapt bench:official-seeds --rows <rows> --seeds <seeds>`  ',
    `Machine: ${machineInfo()}`,
    '',
    'bench/torch/reindex_official.py: the official models and training loops (reindex_step, adapt_step) without PyTorch Lightning, each under torch.manual_seed(seed) and random.seed(seed), 1 thread; the official scripts set no seed. Test H@10 at the checkpoint kept on VALID Recall@10, mean ± SD over seeds (range); per seed: test H@10, the kept gate (FISM), @ the kept epoch.',
    '',
    '| row | official (issue 19) | PyTorch port, mean ± SD (range) | seeds | per seed | load avg |',
    '|---|---|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}
