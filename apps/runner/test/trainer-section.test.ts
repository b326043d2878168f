import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../src/report/types.js';
import { runMain } from './cli.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

describe('the trainer section and a model row\'s own options', () => {
  it("a row's own epochs beat the trainer section's; other rows take the section's", async () => {
    const dir = tempDir('lmrec-trainer-');
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      `name: t\nexperiment: cf\ndataset: { loader: alpharec, options: { dir: ${writePlantedAlphaRecDir(9)} } }\n` +
        `models:\n  - { name: mf, label: own, options: { dim: 4, epochs: 2 } }\n  - { name: mf, label: section, options: { dim: 4 } }\n` +
        `trainer: { epochs: 5, batchSize: 64, patience: 100 }\neval: { ks: [5] }\n`,
    );
    const { code, stderr } = await runMain(['run', file, '--output', join(dir, 'out'), '--quiet']);
    expect(code, stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as RunResults;
    const epochs = Object.fromEntries(results.experiments[0].rows.map((r) => [r.label, r.epochs]));
    expect(epochs).toEqual({ own: 2, section: 5 });
  }, 120_000);
});
