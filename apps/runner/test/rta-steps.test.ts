import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { parseConfig } from '../src/config/load.js';
import { assemble } from '../src/container.js';
import { createContext } from '../src/context.js';
import { rtaRowStep } from '../src/experiments/rta.js';
import { tempDir } from './fixtures.js';

async function context(outDir: string, progress = new CapturingProgress()) {
  const config = parseConfig('name: r\nexperiment: rta\ndataset: { loader: redial-sample }\n');
  return createContext({ config, file: 'r.yaml', outDir, registry: (await assemble()).registry, progress });
}

describe("RTA rows as steps (the runner's side of adapt's per-row hook)", () => {
  it('a finished row is reused under the same key, recomputed under another, and keeps its checkpoint folder for the rows after it', async () => {
    const out = tempDir('lmrec-rta-rows-');
    const progress = new CapturingProgress();
    const ctx = await context(out, progress);
    const comparison = { id: 'rta-comparison', label: 'RTA comparison' };
    const step = rtaRowStep(ctx, comparison, { study: { reindex: { maxEpochs: 2 } } });
    let runs = 0;
    const reindex = async (dir: string) => {
      runs++;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'aggregator.safetensors'), 'weights');
      return { name: 'Reindex', hit: 0.1 };
    };
    expect(await step('Reindex', [], reindex)).toEqual({ name: 'Reindex', hit: 0.1 });
    // A second process (after kill -9) asks for the same row: the finished result, not a retrain.
    const resumed = rtaRowStep(await context(out), comparison, { study: { reindex: { maxEpochs: 2 } } });
    expect(await resumed('Reindex', [], reindex)).toEqual({ name: 'Reindex', hit: 0.1 });
    expect(runs).toBe(1);
    let sawWeights = false;
    await resumed('+Bias b (frozen agg.)', ['Reindex'], async () => {
      sawWeights = existsSync(join(out, 'checkpoints', 'rta-comparison-row-Reindex', 'aggregator.safetensors'));
      return { name: '+Bias b (frozen agg.)' };
    });
    expect(sawWeights).toBe(true);
    // Another study setting: every row's key changes.
    const changed = rtaRowStep(ctx, comparison, { study: { reindex: { maxEpochs: 3 } } });
    await changed('Reindex', [], reindex);
    expect(runs).toBe(2);
    expect(progress.events.some((e) => e.type === 'log' && e.message === 'RTA comparison: Reindex: config changed (maxEpochs 2 -> 3); retraining')).toBe(true);
  });
});
