import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadSplit } from '@lmrec/datasets';
import { loadConfig } from '../src/config/load.js';
import { assemble } from '../src/container.js';
import { runConfig } from '../src/run/run.js';
import { runMain } from './cli.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

let out = '';
let names: string[] = [];
// Small settings where a plugin's defaults are sized for real data (AlphaRec's paper-width MLP).
const OPTIONS: Record<string, string> = { alpharec: '{ hidden: 32, negatives: 16 }', 'linear-mapping': '{ negatives: 16 }', multvae: '{ dims: [32, 16] }' };

// Every registered Recommender, trained briefly on one planted split, served through `lmrec recommend`.
beforeAll(async () => {
  names = (await assemble()).registry.names('Recommender');
  const data = writePlantedAlphaRecDir(61);
  const dir = tempDir('lmrec-contract-');
  const file = join(dir, 'exp.yaml');
  writeFileSync(file, `name: contract\nexperiment: cf\nseed: 3\ndataset: { loader: alpharec, options: { dir: ${data} } }\nmodels:\n${names.map((n) => `  - { name: ${n}, label: ${n}, options: ${OPTIONS[n] ?? '{}'} }`).join('\n')}\ntrainer: { epochs: 1, batchSize: 64, evalEvery: 1 }\neval: { ks: [10] }\n`);
  out = join(dir, 'out');
  await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
}, 120_000);

describe('lmrec recommend, for every registered Recommender', () => {
  it('never returns an item the user already has (train, valid or test), unless --include-seen', async () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
    const split = await loadSplit(join(out, 'split-dataset'));
    for (const name of names) {
      for (const user of [0, 33]) {
        const known = new Set([...split.train.row(user), ...split.valid.row(user), ...split.test.row(user)]);
        const { code, stdout, stderr } = await runMain(['recommend', out, '--model', name, '--user', String(user), '--k', '20', '--json']);
        expect(code, `${name}: ${stderr}`).toBe(0);
        const items = (JSON.parse(stdout) as { item: number }[]).map((r) => r.item);
        expect(items, name).toHaveLength(20);
        expect(items.filter((j) => known.has(j)), `${name} returned items user ${user} has`).toEqual([]);
        expect(stderr).toContain(`left out ${known.size} items user ${user} already has`);
      }
    }
    // With --include-seen the ranking is the model's own: for popularity, the top train counts whoever has them.
    const counts = new Float64Array(split.nItems);
    for (const j of split.train.indices) counts[j]++;
    const top = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b).slice(0, 5);
    const all = await runMain(['recommend', out, '--model', 'popularity', '--user', '0', '--k', '5', '--json', '--include-seen', '--quiet']);
    expect((JSON.parse(all.stdout) as { item: number }[]).map((r) => r.item)).toEqual(top);
  });

  it('a new user\'s history items are left out too', async () => {
    const { code, stdout } = await runMain(['recommend', out, '--model', 'fism', '--history', '1,5,9', '--k', '30', '--json', '--quiet']);
    expect(code).toBe(0);
    const items = (JSON.parse(stdout) as { item: number }[]).map((r) => r.item);
    expect(items).toHaveLength(30);
    expect(items.some((j) => [1, 5, 9].includes(j))).toBe(false);
  });

  it('bad users, items, ids, k and --on values are usage errors: exit 2, one line and the usage', async () => {
    const cases: [string[], RegExp][] = [
      [['recommend', out, '--user', '99999'], /--user 99999 is not a user of this run \(users are 0\.\.59\)/],
      [['recommend', out, '--user', 'abc'], /--user must be a whole number, got "abc"/],
      [['recommend', out, '--user', '1.5'], /--user must be a whole number/],
      [['recommend', out, '--user', '1', '--k', 'abc'], /--k must be a whole number >= 1, got "abc"/],
      [['recommend', out, '--user', '1', '--k', '0'], /--k must be a whole number >= 1, got 0/],
      [['recommend', out, '--user', '1', '--k', '-3'], /--k needs a value/],
      [['recommend', out, '--user', '1', '--k=-3'], /--k must be a whole number >= 1, got "-3"/],
      [['recommend', out, '--history', '3,999'], /--history item 999 is not an item of this run/],
      [['recommend', out, '--user', '1', '--history', '3'], /give one of --user, --history, not --user and --history/],
      [['recommend', out, '--model', 'nope', '--user', '1'], /no saved model "nope"/],
      [['recommend', out, '--usr', '1'], /unknown option --usr \(did you mean --user\?\)/],
      [['eval', out, '--on', 'tset'], /--on must be one of test, valid, got "tset"/],
      [['eval', out, '--ks', '10,x'], /--ks must be a whole number/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runMain([...args, '--quiet']);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      const [first, second] = stderr.split('\n');
      expect(first).toMatch(message);
      expect(second).toMatch(/^usage: lmrec (recommend|eval) /);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});
