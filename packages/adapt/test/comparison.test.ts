import { beforeAll, describe, expect, it } from 'vitest';
import { CapturingProgress, createContainer, definePlugin, DEPS, initBackend, pluginModule, PluginRegistry, TYPES } from '@lmrec/core';
import { z } from 'zod';
import { loadBundledRedial, toCrsExamples } from '@lmrec/datasets';
import { LexicalBackbone } from '@lmrec/reindex';
import { TinyFism } from './helpers.js';
import { gatingFactoriesFromRegistry, mentionCounts, PopularityDiagnosticsAccumulator, REINDEX_ROW, rtaVariantNames, runRtaComparison } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

describe('popularity diagnostics', () => {
  it('matches a hand computation', () => {
    // 20 items, item i mentioned 20 - i times: item 0 most popular; top decile = items 0, 1
    const pop = Array.from({ length: 20 }, (_, i) => 20 - i);
    const acc = new PopularityDiagnosticsAccumulator(pop, 3);
    acc.addList([0, 1, 19]);
    acc.addList([0, 5, -1]);
    const r = acc.result();
    // percentile = (n - rank) / (n - 1), rank 1 = most popular
    const pct = (i: number) => (20 - (i + 1)) / 19;
    expect(r.meanPopularityPercentile).toBeCloseTo((pct(0) * 2 + pct(1) + pct(19) + pct(5)) / 5, 10);
    expect(r.topDecileShare).toBeCloseTo(3 / 5, 10);
    expect(r.coverage).toBeCloseTo(4 / 20, 10);
    // exposure: item 0 twice, items 1, 5, 19 once, 16 items zero. Gini by its definition:
    const x = [...Array(16).fill(0), 1, 1, 1, 2];
    const n = x.length;
    const g = x.reduce((s, v, i) => s + (2 * (i + 1) - n - 1) * v, 0) / (n * 5);
    expect(r.giniExposure).toBeCloseTo(g, 10);
  });
});

describe('runRtaComparison', () => {
  it('runs every row on the bundled ReDIAL sample and reports the table, gates and diagnostics', async () => {
    const dataset = await loadBundledRedial();
    const progress = new CapturingProgress();
    const maxExamples = { train: 256, valid: 40, test: 80 };
    // recsys' gating nets and a third-party one, all resolved through TYPES.GatingRecommender
    const container = createContainer();
    const { recsysModule } = await import('@lmrec/recsys');
    const tiny = definePlugin({
      name: 'tiny',
      options: z.strictObject({}),
      requires: [DEPS.NItems, DEPS.Seed],
      create: (_o, deps) => new TinyFism(deps.get<number>(DEPS.NItems), 8, deps.get<number>(DEPS.Seed)),
    });
    await container.load(recsysModule, pluginModule({ package: 'tiny-gates', version: '1.0.0' }, 'GatingRecommender', [tiny]));
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    const recommenders = gatingFactoriesFromRegistry(registry, { FISM: 'fism', SASRec: { plugin: 'sasrec', options: { maxLen: 8 } }, Tiny: 'tiny' });
    const names = rtaVariantNames(['FISM', 'SASRec', 'Tiny']);
    expect(names).toHaveLength(1 + 3 + 2 + 6 + 6);
    const variants = ['Popularity', 'FISM', 'Zero-shot (sum)', '+Bias gW+b (frozen agg.)', '+Bias b (trainable agg.)', '+RecSys SASRec (frozen agg.)', '+RecSys Tiny (trainable agg.)'];
    const result = await runRtaComparison(dataset, {
      backbone: new LexicalBackbone({ dim: 16, seed: 1 }),
      maxExamples,
      recommenders,
      variants,
      reindex: { maxEpochs: 1 },
      bias: { epochs: 1, learningRate: 1e-2 },
      gating: { epochs: 1, learningRate: 1e-2 },
      progress,
      seed: 3,
    });
    const ran = names.filter((n) => n === REINDEX_ROW || variants.includes(n));
    expect(result.variants.map((v) => v.name)).toEqual(ran);
    expect(result.table.rows.map((r) => r.name)).toEqual(ran);
    expect(result.table.baseline).toBe(REINDEX_ROW);
    expect(result.table.metrics).toEqual(['hit@1', 'hit@5', 'hit@10', 'hit@50', 'ndcg@1', 'ndcg@5', 'ndcg@10', 'ndcg@50']);
    expect(result.table.markdown).toContain('+RecSys Tiny (trainable agg.)');
    expect(result.variants.filter((v) => v.kind === 'gating')).toHaveLength(2);
    for (const v of result.variants) {
      expect(v.test.n).toBe(maxExamples.test);
      if (v.kind === 'gating') {
        expect(v.gate).toBeGreaterThan(0);
        expect(v.gate).toBeLessThan(1);
      }
    }

    // Popularity row against an independent computation: constant scores = train mention counts, ties averaged.
    const test = toCrsExamples(dataset, dataset.split.test).slice(0, maxExamples.test);
    const counts = mentionCounts(dataset);
    const manual = new Map<string, number>();
    for (const k of [1, 10, 50]) manual.set(`hit@${k}`, 0);
    for (const e of test) {
      let higher = 0;
      let geq = 0;
      for (const c of counts) {
        if (c > counts[e.target]) higher++;
        if (c >= counts[e.target]) geq++;
      }
      const rank = Math.floor((higher + geq) / 2);
      for (const k of [1, 10, 50]) if (rank < k) manual.set(`hit@${k}`, manual.get(`hit@${k}`)! + 1 / test.length);
    }
    const pop = result.variants.find((v) => v.name === 'Popularity')!;
    for (const [key, value] of manual) expect(pop.test.metrics[key].mean).toBeCloseTo(value, 10);
    // Popularity recommends the same 10 most-mentioned items everywhere: all slots in the top decile, 10 items shown.
    expect(pop.diagnostics.topDecileShare).toBe(1);
    expect(pop.diagnostics.coverage).toBeCloseTo(10 / dataset.items.ids.length, 10);
    // JSON-serialisable, per-example values dropped by default
    const json = JSON.parse(JSON.stringify(result));
    expect(json.variants[0].test.perUnit).toEqual({});
    expect(progress.events.some((e) => e.type === 'log' && e.message.includes('| model |'))).toBe(true);
  });
});
