import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CapturingProgress, type Recommender } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { evaluateFullRanking } from '@lmrec/eval';
import { loadConfig } from '../src/config/load.js';
import { assemble } from '../src/container.js';
import { runConfig } from '../src/run/run.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

// The example plugin packages of examples/, named in a config's `plugins:` by
// their entry file (inside the workspace they are not built; installed from
// their tarballs, scripts/pack-check names them by package name).
const examples = resolve(import.meta.dirname, '../../../examples');
const itemKnn = join(examples, 'plugin-recommender/src/index.ts');
const attentionPool = join(examples, 'plugin-aggregator/src/index.ts');
const quiet = { progress: new CapturingProgress(), print: () => {} };

describe('the example plugins, used by configs', () => {
  it('a cf config trains and tests the item-kNN recommender with the options it gives', async () => {
    const data = writePlantedAlphaRecDir(5);
    const dir = tempDir('lmrec-example-knn-');
    const file = join(dir, 'knn.yaml');
    writeFileSync(
      file,
      `name: example-itemknn
experiment: cf
seed: 7
plugins: [${itemKnn}]
dataset: { loader: alpharec, options: { dir: ${data} } }
models:
  - { name: popularity, label: Popularity }
  - { name: item-knn, label: Item-kNN, options: { neighbours: 15, shrink: 2 } }
eval: { ks: [5, 10], metric: recall@10 }
`,
    );
    const { results } = await runConfig(await loadConfig(file), { output: join(dir, 'out'), ...quiet });
    const [pop, knn] = results.experiments[0].rows;
    expect(knn.label).toBe('Item-kNN');
    // the same plugin fitted here on the same files, with the config's options, evaluated on TEST
    const { split } = await loadAlphaRecDir(data);
    const { registry } = await assemble([itemKnn], dir);
    const model = registry.create<Recommender>('Recommender', 'item-knn', { neighbours: 15, shrink: 2 });
    await model.fit(split);
    const expected = await evaluateFullRanking(model, split, { on: 'test', ks: [5, 10] });
    expect(knn.metrics['recall@10'].mean).toBeCloseTo(expected.metrics['recall@10'].mean, 10);
    expect(knn.metrics['recall@5'].mean).toBeCloseTo(expected.metrics['recall@5'].mean, 10);
    // planted taste groups: co-occurrence beats popularity
    expect(knn.metrics['recall@10'].mean).toBeGreaterThan(pop.metrics['recall@10'].mean);
  });

  it('an RTA config reindexes with the attention-pooling aggregator next to a built-in one', async () => {
    const dir = tempDir('lmrec-example-attn-');
    const file = join(dir, 'attn.yaml');
    writeFileSync(
      file,
      `name: example-attention
experiment: rta-aggregators
seed: 3
plugins: [${attentionPool}]
dataset: { loader: redial-sample }
eval: { ks: [1, 10, 50] }
study:
  aggregators: [attention-pool, sum]
  variants: [Reindex]
  maxExamples: { train: 120, valid: 40, test: 60 }
  reindex: { maxEpochs: 2, negatives: 100 }
`,
    );
    const { results } = await runConfig(await loadConfig(file), { output: join(dir, 'out'), ...quiet });
    const rows = results.experiments[0].rows;
    expect(rows.map((r) => r.label)).toEqual(['Reindex [attention-pool]', 'Reindex [sum]']);
    for (const row of rows) {
      expect(row.metrics['hit@50'].mean).toBeGreaterThanOrEqual(row.metrics['hit@10'].mean);
      expect(row.perUnit?.['hit@10']).toHaveLength(60);
    }
  });

  it('lists the plugins with their origin package', async () => {
    const { registry } = await assemble([itemKnn, attentionPool]);
    expect(registry.describe('Recommender', 'item-knn').origin).toEqual({ package: 'lmrec-plugin-itemknn', version: '0.1.0' });
    expect(registry.describe('Aggregator', 'attention-pool')).toMatchObject({ origin: { package: 'lmrec-plugin-attention-pool' }, requires: ['lmrec.dep.InputDim'] });
  });
});
