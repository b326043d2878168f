import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../src/report/types.js';
import { runMain } from './cli.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResults;

describe('lmrec run --seeds', () => {
  it("runs the config once per seed and reports each row's mean and standard deviation over seeds", async () => {
    const dir = tempDir('lmrec-seeds-');
    const file = join(dir, 'mf.yaml');
    const data = writePlantedAlphaRecDir(9);
    writeFileSync(file, `name: s\nexperiment: cf\ndataset: { loader: alpharec, options: { dir: ${data} } }\nmodels: [{ name: popularity, label: Pop }, { name: mf, label: MF, options: { dim: 4 } }]\ntrainer: { epochs: 2, batchSize: 64 }\neval: { ks: [5] }\n`);
    const out = join(dir, 'out');
    const { code, stdout, stderr } = await runMain(['run', file, '--seeds', '3,5,8', '--output', out, '--quiet']);
    expect(code, stderr).toBe(0);
    const perSeed = [3, 5, 8].map((s) => read(join(out, `seed-${s}`, 'results.json')));
    perSeed.forEach((r, i) => expect(r.seed).toBe([3, 5, 8][i]));
    const summary = read(join(out, 'results.json'));
    for (const label of ['Pop', 'MF']) {
      const values = perSeed.map((r) => r.experiments[0].rows.find((row) => row.label === label)!.metrics['recall@5'].mean);
      const m = (values[0] + values[1] + values[2]) / 3;
      const sd = Math.sqrt(((values[0] - m) ** 2 + (values[1] - m) ** 2 + (values[2] - m) ** 2) / 2);
      const row = summary.experiments[0].rows.find((r) => r.label === label)!;
      expect(row.metrics['recall@5'].mean).toBeCloseTo(m, 12);
      expect(row.metrics['recall@5'].se).toBeCloseTo(sd, 12);
    }
    // MF's initial weights differ by seed, so its spread is not zero
    expect(summary.experiments[0].rows.find((r) => r.label === 'MF')!.metrics['recall@5'].se).toBeGreaterThan(0);
    expect(stdout).toContain('(mean over seeds 3, 5, 8)');
    expect(stdout).toContain('± is the standard deviation over the 3 seeds');
    // a single run's folder is not overwritten by a summary over seeds
    const single = join(dir, 'single');
    expect((await runMain(['run', file, '--output', single, '--quiet'])).code).toBe(0);
    const refused = await runMain(['run', file, '--seeds', '1,2', '--output', single, '--quiet']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${single} holds a single run of this config`);
  }, 120_000);

  it('bad --seeds are usage errors naming the problem', async () => {
    for (const [arg, message] of [
      ['1,x', '--seeds takes whole numbers separated by commas, got "x"'],
      ['4', '--seeds needs at least two seeds'],
      ['2,2', '--seeds lists a seed twice: 2,2'],
    ]) {
      const { code, stderr } = await runMain(['run', 'missing.yaml', '--seeds', arg]);
      expect(code).toBe(2);
      expect(stderr.split('\n')[0]).toContain(message);
    }
  });
});
