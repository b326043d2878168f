import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import type { ModelRow } from '../src/report/types.js';
import { spawnCli } from './cli.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

const essentials = (rows: ModelRow[]) => rows.map((r) => ({ label: r.label, metrics: r.metrics, perUnit: r.perUnit, curve: r.curve?.map(({ epoch, loss, ...valid }) => ({ epoch, loss, ...valid })), epochs: r.epochs }));

describe('kill -9 and resume', () => {
  it('a run killed mid-training and started again equals an uninterrupted run', async () => {
    const data = writePlantedAlphaRecDir(11);
    const dir = tempDir('lmrec-resume-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(
      file,
      `name: resume
experiment: cf
seed: 5
backend: cpu
dataset: { loader: alpharec, options: { dir: ${data} } }
models:
  - { name: popularity, label: Popularity }
  - { name: alpharec, label: AlphaRec, options: { hidden: 32, lr: 0.005, negatives: 16 } }
trainer: { epochs: 14, batchSize: 32, evalEvery: 2, patience: 20, checkpointEvery: 1 }
eval: { ks: [10], metric: recall@10 }
`,
    );
    const whole = await runConfig(await loadConfig(file), { output: join(dir, 'whole'), progress: new CapturingProgress(), print: () => {} });

    const out = join(dir, 'killed');
    const child = spawnCli(['run', file, '--output', out, '--quiet']);
    const log = join(out, 'logs', 'AlphaRec.jsonl');
    const killedAt = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).length : 0;
        if (lines >= 4) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve(lines);
        }
      }, 20);
      child.on('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`the run ended (code ${code}) before it could be killed`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    expect(killedAt).toBeGreaterThanOrEqual(4);
    expect(existsSync(join(out, 'results.json'))).toBe(false);

    const resumed = await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    expect(essentials(resumed.results.experiments[0].rows)).toEqual(essentials(whole.results.experiments[0].rows));
  });
});
