import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { assemble } from '../src/container.js';
import { runConfig } from '../src/run/run.js';
import { runCli } from './cli.js';

// The plugin lives inside this package's folder so that, like an installed
// plugin, it resolves @lmrec/core and inversify from the workspace.
const root = mkdtempSync(join(import.meta.dirname, '.tmp-plugin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writePluginPackage(): void {
  const pkg = join(root, 'node_modules', 'lmrec-plugin-meanpool');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'lmrec-plugin-meanpool', version: '1.0.0', type: 'module', exports: './index.js' }));
  writeFileSync(
    join(pkg, 'index.js'),
    `import { definePlugin, DEPS, pluginModule, tf } from '@lmrec/core';
import { z } from 'zod';

// Masked mean of the title's token embeddings times one learned scale.
class MeanPool {
  constructor({ dim }) {
    this.name = 'mean-pool';
    this.dim = dim;
    this.scale = tf.variable(tf.scalar(1), true, 'meanpool.scale');
  }
  apply(tokens, mask) {
    return tf.tidy(() => {
      const m = mask.expandDims(2);
      const sum = tokens.mul(m).sum(1);
      return sum.div(m.sum(1).maximum(1)).mul(this.scale);
    });
  }
  trainableVariables() { return [this.scale]; }
  state() { return { scale: this.scale }; }
  loadState(s) { this.scale.assign(s.scale); }
  dispose() { this.scale.dispose(); }
}

const meanPool = definePlugin({
  name: 'mean-pool',
  description: 'masked mean (test plugin)',
  options: z.strictObject({}),
  requires: [DEPS.InputDim],
  create: (o, deps) => new MeanPool({ dim: deps.get(DEPS.InputDim) }),
});
export const meanPoolModule = pluginModule({ package: 'lmrec-plugin-meanpool', version: '1.0.0' }, 'Aggregator', [meanPool]);
`,
  );
}

describe('third-party plugin packages', () => {
  writePluginPackage();

  it('are listed next to the built-in plugins', async () => {
    const { registry, plugins } = await assemble(['lmrec-plugin-meanpool'], root);
    expect(plugins).toEqual(['lmrec-plugin-meanpool']);
    expect(registry.names('Aggregator')).toEqual(['mean-pool', 'rnn', 'sum', 'trm', 'weighted']);
    expect(registry.names('TensorBackend')).toEqual(['cpu', 'tensorflow', 'tensorflow-gpu', 'wasm']);
  });

  it('provide an aggregator that a config then uses', async () => {
    const file = join(root, 'agg.yaml');
    writeFileSync(
      file,
      `name: plugin-aggregator
experiment: rta-aggregators
seed: 3
plugins: [lmrec-plugin-meanpool]
dataset: { loader: redial-sample }
eval: { ks: [1, 10, 50] }
study:
  aggregators: [mean-pool, sum]
  variants: [Reindex]
  maxExamples: { train: 120, valid: 40, test: 60 }
  reindex: { maxEpochs: 2, negatives: 100 }
`,
    );
    const { results } = await runConfig(await loadConfig(file), { output: join(root, 'out'), progress: new CapturingProgress(), print: () => {} });
    const rows = results.experiments[0].rows;
    expect(rows.map((r) => r.label)).toEqual(['Reindex [mean-pool]', 'Reindex [sum]']);
    for (const row of rows) {
      expect(row.metrics['hit@50'].mean).toBeGreaterThanOrEqual(row.metrics['hit@10'].mean);
      expect(row.perUnit?.['hit@10']).toHaveLength(60);
    }
  });

  it('a config naming an unknown aggregator fails with the known names', async () => {
    const file = join(root, 'bad.yaml');
    writeFileSync(file, `name: bad\nexperiment: rta-aggregators\ndataset: { loader: redial-sample }\nstudy: { aggregators: [mean-poool] }\n`);
    const { code, stderr } = await runCli(['run', file, '--output', join(root, 'bad-out'), '--quiet'], root);
    expect(code).toBe(1);
    expect(stderr).toContain('no Aggregator plugin named "mean-poool"');
    expect(stderr).toContain('known: rnn, sum, trm, weighted');
  });

  it('a config with a misspelt key fails before any work, naming the key and line', async () => {
    const file = join(root, 'typo.yaml');
    writeFileSync(file, `name: typo\nexperiment: cf\ndataset: { loader: redial-sample }\nmodles: []\n`);
    const { code, stderr } = await runCli(['run', file, '--quiet'], root);
    expect(code).toBe(1);
    expect(stderr).toMatch(/typo\.yaml, line 4, field "modles": unknown key "modles" \(did you mean "models"\?\)/);
  });
});
