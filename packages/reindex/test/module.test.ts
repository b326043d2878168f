import { beforeAll, describe, expect, it } from 'vitest';
import { createContainer, initBackend, PluginRegistry, TYPES } from '@lmrec/core';
import { LexicalBackbone, reindexModule, RnnAggregator } from '../src/index.js';

describe('plugin module', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('binds the four aggregators and five backbones by name', async () => {
    const c = createContainer();
    await c.load(reindexModule);
    const reg = c.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(reg.names('Aggregator')).toEqual(['rnn', 'sum', 'trm', 'weighted']);
    expect(reg.names('Backbone')).toEqual(['artifacts', 'glove', 'lexical', 'openai', 'transformers']);
    const rnn = reg.create('Aggregator', 'rnn', { dim: 8, hidden: 4, seed: 1 });
    expect(rnn).toBeInstanceOf(RnnAggregator);
    expect((rnn as RnnAggregator).hidden).toBe(4);
    expect(reg.create('Backbone', 'lexical', { dim: 16 })).toBeInstanceOf(LexicalBackbone);
    (rnn as RnnAggregator).dispose();
  });
});
