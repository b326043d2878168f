import { describe, expect, it } from 'vitest';
import { createContainer, PluginRegistry, TYPES, type Metric } from '@lmrec/core';
import { evalModule, metricPlugins } from '../src/index.js';
import { metricContract } from './contract/metric.js';

describe('Metric plugins', () => {
  for (const plugin of metricPlugins) metricContract(plugin.name, () => new PluginRegistry({ Metric: metricPlugins }).create<Metric>('Metric', plugin.name));

  it('are resolvable by name from a container', async () => {
    const container = createContainer();
    await container.load(evalModule);
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(registry.names('Metric')).toEqual(['hr', 'mrr', 'ndcg', 'precision', 'recall']);
    const ndcg = registry.create<Metric>('Metric', 'ndcg', {});
    expect(ndcg.compute(Uint8Array.from([0, 1]), 1, 2, new Int32Array(2))).toBeCloseTo(1 / Math.log2(3), 14);
  });
});
