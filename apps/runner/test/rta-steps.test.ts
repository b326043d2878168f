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
    // adapt passes what each row depends on (its training options with defaults, ...); the plugins come from the comparison
    const plugins = { backbone: 'lexical', study: { reindex: { maxEpochs: 2 }, bias: { lr: 1e-3 } } };
    const reindexDeps = { reindex: { maxEpochs: 2 } };
    const step = rtaRowStep(ctx, comparison, plugins);
    let runs = 0;
    const reindex = async (dir: string | undefined) => {
      if (!dir) throw new Error("the runner gives every row a checkpoint folder");
      runs++;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'aggregator.safetensors'), 'weights');
      return { name: 'Reindex', hit: 0.1 };
    };
    expect(await step('Reindex', reindexDeps, reindex)).toEqual({ name: 'Reindex', hit: 0.1 });
    // A second process (after kill -9) asks for the same row: the finished result, not a retrain.
    const resumed = rtaRowStep(await context(out), comparison, plugins);
    expect(await resumed('Reindex', reindexDeps, reindex)).toEqual({ name: 'Reindex', hit: 0.1 });
    expect(runs).toBe(1);
    // Another row's setting changed (study.bias): the Reindex row is still reused.
    const otherRow = rtaRowStep(await context(out), comparison, { ...plugins, study: { ...plugins.study, bias: { lr: 5e-3 } } });
    await otherRow('Reindex', reindexDeps, reindex);
    expect(runs).toBe(1);
    let sawWeights = false;
    await resumed('+Bias b (frozen agg.)', { reindexed: 'Reindex', bias: { lr: 1e-3 } }, async () => {
      sawWeights = existsSync(join(out, 'checkpoints', 'rta-comparison-row-Reindex', 'aggregator.safetensors'));
      return { name: '+Bias b (frozen agg.)' };
    });
    expect(sawWeights).toBe(true);
    // The row's own training options changed: it is retrained, and says why.
    await step('Reindex', { reindex: { maxEpochs: 3 } }, reindex);
    expect(runs).toBe(2);
    expect(progress.events.some((e) => e.type === 'log' && e.message === 'RTA comparison: Reindex: config changed (maxEpochs 2 -> 3); retraining')).toBe(true);
    // A plugin of the comparison changed (the backbone): every row's key changes.
    await rtaRowStep(ctx, comparison, { ...plugins, backbone: 'glove' })('Reindex', { reindex: { maxEpochs: 3 } }, reindex);
    expect(runs).toBe(3);
  });
});
