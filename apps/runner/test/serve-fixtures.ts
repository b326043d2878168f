import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { runMain } from './cli.js';
import { tempDir } from './fixtures.js';

/** A tiny CF run on the bundled ReDIAL sample: AlphaRec with a text encoder (intentions), MF, FISM (histories from its own scores). */
export async function trainCfRun(): Promise<string> {
  const dir = tempDir('lmrec-serve-cf-');
  const file = join(dir, 'cf.yaml');
  writeFileSync(
    file,
    `name: serve-cf
experiment: cf
seed: 3
dataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }
encoder: { name: lexical, options: { dim: 64 } }
models:
  - { name: alpharec, label: AlphaRec, options: { hidden: 64, lr: 0.005, negatives: 16 } }
  - { name: mf, label: MF }
  - { name: fism, label: FISM }
trainer: { epochs: 2, batchSize: 256 }
eval: { ks: [10] }
`,
  );
  const out = join(dir, 'out');
  await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
  return out;
}

/** A tiny RTA run (the reindexed aggregator serves conversations). */
export async function trainRtaRun(): Promise<string> {
  const dir = tempDir('lmrec-serve-rta-');
  const file = join(dir, 'rta.yaml');
  writeFileSync(
    file,
    `name: serve-rta
experiment: rta
seed: 4
dataset: { loader: redial-sample }
backbone: { name: lexical, options: { queryScale: 10 } }
eval: { ks: [10] }
study:
  variants: [Reindex]
  maxExamples: { train: 100, valid: 30, test: 30 }
  reindex: { maxEpochs: 1, negatives: 50 }
`,
  );
  const out = join(dir, 'out');
  await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
  return out;
}

export interface Row {
  id: number;
  title: string;
  score: number;
}

/** `lmrec recommend ... --json` in this process, as { id, title, score } rows. */
export async function recommendCli(args: string[]): Promise<Row[]> {
  const { code, stdout, stderr } = await runMain(['recommend', ...args, '--json', '--quiet']);
  expect(code, stderr).toBe(0);
  return (JSON.parse(stdout) as { item: number; title: string; score: number }[]).map((r) => ({ id: r.item, title: r.title, score: r.score }));
}

/** Same ids in the same order, same titles, scores within `tol`. */
export function expectSameAnswer(served: Row[], expected: Row[], tol = 1e-6): void {
  expect(expected.length).toBeGreaterThan(0);
  expect(served.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  expect(served.map((r) => r.title)).toEqual(expected.map((r) => r.title));
  served.forEach((r, i) => expect(Math.abs(r.score - expected[i].score), `score of item ${r.id}`).toBeLessThanOrEqual(tol));
}
