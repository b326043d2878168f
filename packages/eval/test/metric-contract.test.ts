import { describe, expect, it } from 'vitest';
import { createContainer, PluginRegistry, TYPES, type Metric } from '@lmrec/core';
import { metricContract, pluginFactoryContract, type MetricEdge } from '@lmrec/testing';
import { EVAL_ORIGIN, evalModule, metricPlugins } from '../src/index.js';

// Worked out by hand at the contract's edge cases (K = 5 unless said):
// none = hits beyond K only (2 targets), all = 5 of 5, first / last = one hit at
// rank 1 / rank 5 of 2 targets, manyTargets = 5 hits of 10 targets, mixed =
// hits at ranks 2 and 4 of 3 targets, single = K = 1 with a hit.
const dcg = (...ranks: number[]) => ranks.reduce((s, r) => s + 1 / Math.log2(r + 1), 0);
const HAND: Record<string, Record<MetricEdge, number>> = {
  recall: { none: 0, all: 1, first: 1 / 2, last: 1 / 2, manyTargets: 5 / 10, mixed: 2 / 3, single: 1 },
  precision: { none: 0, all: 1, first: 1 / 5, last: 1 / 5, manyTargets: 1, mixed: 2 / 5, single: 1 },
  ndcg: { none: 0, all: 1, first: 1 / dcg(1, 2), last: dcg(5) / dcg(1, 2), manyTargets: 1, mixed: dcg(2, 4) / dcg(1, 2, 3), single: 1 },
  hr: { none: 0, all: 1, first: 1, last: 1, manyTargets: 1, mixed: 1, single: 1 },
  mrr: { none: 0, all: 1, first: 1, last: 1 / 5, manyTargets: 1, mixed: 1 / 2, single: 1 },
};

const registry = new PluginRegistry({ Metric: metricPlugins });
for (const plugin of metricPlugins) {
  metricContract({ name: plugin.name, create: () => registry.create<Metric>('Metric', plugin.name), expected: HAND[plugin.name] });
  pluginFactoryContract({ point: 'Metric', factory: plugin, module: evalModule, origin: EVAL_ORIGIN });
}

describe('Metric plugins', () => {
  it('every built-in metric has hand values', () => expect(Object.keys(HAND).sort()).toEqual(metricPlugins.map((p) => p.name).sort()));

  it('are resolvable by name from a container', async () => {
    const container = createContainer();
    await container.load(evalModule);
    const names = container.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(names.names('Metric')).toEqual(['hr', 'mrr', 'ndcg', 'precision', 'recall']);
    const ndcg = names.create<Metric>('Metric', 'ndcg', {});
    expect(ndcg.compute(Uint8Array.from([0, 1]), 1, 2, new Int32Array(2))).toBeCloseTo(1 / Math.log2(3), 14);
  });
});
