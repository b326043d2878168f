import { describe, expect, it } from 'vitest';
import { Csr, Rng } from '@lmrec/core';
import { DenseIdMap, InteractionDataset, Items, randomSplit } from '@lmrec/datasets';
import { trainSequences } from '../src/experiments/sequences.js';

/** Random interactions with random (often tied) times; rows sorted by item as the loaders keep them. */
function timedDataset(seed: number, nUsers = 30, nItems = 40) {
  const rng = new Rng(seed);
  const rows = Array.from({ length: nUsers }, () => [...new Set(Array.from({ length: 6 + rng.int(8) }, () => rng.int(nItems)))].sort((a, b) => a - b));
  const times = rows.map((r) => r.map(() => rng.int(5)));
  const interactions = Csr.fromRows(nItems, rows);
  const ids = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  const data = new InteractionDataset({ name: 'timed', users: new DenseIdMap(ids(nUsers, 'u')), items: new Items(ids(nItems, 'i'), ids(nItems, 't')), interactions, timestamps: Float64Array.from(times.flat()) });
  return { data, rows, times };
}

describe('trainSequences', () => {
  it('orders each user train items by time, equal times by item id', () => {
    for (const seed of [1, 2, 3]) {
      const { data, rows, times } = timedDataset(seed);
      const split = randomSplit(data, { ratios: [0.6, 0.2, 0.2], seed });
      const got = trainSequences(data, split)!;
      rows.forEach((items, u) => {
        const train = new Set(split.train.row(u));
        // independent: (time, item) pairs of the train items, sorted as tuples
        const expected = items.map((item, k) => [times[u][k], item] as const).filter(([, item]) => train.has(item)).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, item]) => item);
        expect(Array.from(got[u])).toEqual(expected);
      });
    }
  });

  it('is undefined without timestamps, and refuses a split that is not the dataset', () => {
    const { data } = timedDataset(4);
    const bare = new InteractionDataset({ name: 'bare', users: data.users, items: data.items, interactions: data.interactions });
    expect(trainSequences(bare, randomSplit(bare, { ratios: [0.6, 0.2, 0.2], seed: 1 }))).toBeUndefined();
    const other = timedDataset(5).data;
    expect(() => trainSequences(data, randomSplit(other, { ratios: [0.6, 0.2, 0.2], seed: 1 }))).toThrow(/not among the dataset's interactions/);
  });
});
