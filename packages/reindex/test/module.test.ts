import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, DEPS, depsOf, initBackend, PluginRegistry, tf, TYPES } from '@lmrec/core';
import { pluginFactoryContract } from '@lmrec/testing';
import { aggregatorPlugins, backbonePlugins, LexicalBackbone, REINDEX_ORIGIN, reindexModule, RnnAggregator } from '../src/index.js';

const shared = { module: reindexModule, origin: REINDEX_ORIGIN };
for (const factory of aggregatorPlugins) {
  pluginFactoryContract({
    ...shared,
    point: 'Aggregator',
    factory,
    deps: [[DEPS.InputDim, 8], [DEPS.Seed, 2]],
    check: (agg) => expect(agg.name).toBe(factory.name),
    dispose: (agg) => agg.dispose(),
  });
}
// Backbones open their model files on first use (transformers reads only config.json when created).
const modelDir = mkdtempSync(join(tmpdir(), 'reindex-plugins-'));
writeFileSync(join(modelDir, 'config.json'), JSON.stringify({ hidden_size: 8 }));
afterAll(() => rmSync(modelDir, { recursive: true, force: true }));
const backboneOptions: Record<string, Record<string, unknown>> = {
  artifacts: { dir: '/nonexistent/artifacts' },
  transformers: { modelDir },
  openai: { artifacts: '/nonexistent/artifacts', baseUrl: 'http://127.0.0.1:9/v1', model: 'm' },
  lexical: { dim: 16 },
};
for (const factory of backbonePlugins) pluginFactoryContract({ ...shared, point: 'Backbone', factory, options: backboneOptions[factory.name], deps: [[DEPS.Seed, 2]] });

describe('plugin module', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('binds the four aggregators and five backbones by name; width and seed come from the pipeline', async () => {
    const c = createContainer();
    await c.load(reindexModule);
    const reg = c.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(reg.names('Aggregator')).toEqual(['rnn', 'sum', 'trm', 'weighted']);
    expect(reg.names('Backbone')).toEqual(['artifacts', 'glove', 'lexical', 'openai', 'transformers']);
    const rnn = reg.create<RnnAggregator>('Aggregator', 'rnn', { hidden: 4 }, depsOf([[DEPS.InputDim, 8], [DEPS.Seed, 1]]));
    expect(rnn).toBeInstanceOf(RnnAggregator);
    expect([rnn.hidden, rnn.inputDim, rnn.steps]).toEqual([4, 8, 'valid']);
    const reference = reg.create<RnnAggregator>('Aggregator', 'rnn', { hidden: 4, steps: 'all' }, depsOf([[DEPS.InputDim, 8], [DEPS.Seed, 1]]));
    expect(reference.steps).toBe('all');
    expect(() => reg.create('Aggregator', 'rnn', { steps: 'packed' }, depsOf([[DEPS.InputDim, 8], [DEPS.Seed, 1]]))).toThrow(/steps/);
    reference.dispose();
    // same seed, same weights as the class built by hand; an explicit seed option wins over the run's
    const byHand = new RnnAggregator({ dim: 8, hidden: 4, seed: 1 });
    const own = reg.create<RnnAggregator>('Aggregator', 'rnn', { hidden: 4, seed: 1 }, depsOf([[DEPS.InputDim, 8], [DEPS.Seed, 99]]));
    const weights = (a: RnnAggregator) => Object.values(a.state()).map((t) => Array.from((t as tf.Tensor).dataSync()));
    expect(weights(rnn)).toEqual(weights(byHand));
    expect(weights(own)).toEqual(weights(byHand));
    const lexical = reg.create<LexicalBackbone>('Backbone', 'lexical', { dim: 16 }, depsOf([[DEPS.Seed, 5]]));
    expect(lexical).toBeInstanceOf(LexicalBackbone);
    expect(lexical.seed).toBe(5);
    for (const a of [rnn, byHand, own]) a.dispose();
  });

  it('rejects options that are the pipeline\'s (dim), unknown or mistyped, and a missing input width', () => {
    const c = createContainer();
    c.load(reindexModule);
    const registry = c.get<PluginRegistry>(TYPES.PluginRegistry);
    const width = depsOf([[DEPS.InputDim, 8]]);
    expect(() => registry.create('Aggregator', 'rnn', { dim: 8 }, width)).toThrow(/field "dim": unknown option of Aggregator "rnn"/);
    expect(() => registry.create('Aggregator', 'rnn', { hiden: 4 }, width)).toThrow(/did you mean "hidden"/);
    expect(() => registry.create('Aggregator', 'weighted', { linearInit: 'eye' }, width)).toThrow(/field "linearInit": Invalid option/);
    expect(() => registry.create('Aggregator', 'sum', {})).toThrow(/Aggregator "sum" needs lmrec\.dep\.InputDim/);
    expect(() => registry.create('Backbone', 'openai', { artifacts: '/a', baseUrl: 'localhost', model: 'm' })).toThrow(/field "baseUrl"/);
  });
});
