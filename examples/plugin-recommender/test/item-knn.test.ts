import { describe, expect, it } from 'vitest';
import { Csr, type CfSplit } from '@lmrec/core';
import { pluginFactoryContract, recommenderContract } from '@lmrec/testing';
import { ItemKnn, itemKnnModule, itemKnnPlugin, ORIGIN } from '../src/index.js';

// The Recommender contract on its planted taste clusters (item-kNN has no
// seed, so `seeded: false`), and the plugin-factory contract.
recommenderContract({ name: 'item-knn', create: () => new ItemKnn({ neighbours: 20 }), seeded: false });
pluginFactoryContract({ point: 'Recommender', factory: itemKnnPlugin, options: { neighbours: 5 }, check: (m) => expect((m as ItemKnn).config).toEqual({ neighbours: 5, shrink: 0 }), module: itemKnnModule, origin: ORIGIN });

describe('item-kNN by hand', () => {
  // users x items:   u0: 0 1   u1: 0 1 2   u2: 2 3
  const train = Csr.fromRows(4, [[0, 1], [0, 1, 2], [2, 3]]);
  const empty = Csr.fromRows(4, [[], [], []]);
  const split: CfSplit = { nUsers: 3, nItems: 4, train, valid: empty, test: empty };

  it('scores a user by the shrunk cosine similarities of their items, k neighbours kept', async () => {
    const m = new ItemKnn({ neighbours: 2, shrink: 1 });
    await m.fit(split);
    // users per item: |U_0| = |U_1| = |U_2| = 2, |U_3| = 1; co-counts (2,0) = (2,1) = (2,3) = 1
    const sim = (co: number, a: number, b: number) => co / (Math.sqrt(a * b) + 1);
    // item 2 keeps its 2 best: item 3 (1 / (sqrt 2 + 1)) and item 0 (1/3, tied with item 1: the lower id);
    // item 3's only neighbour is item 2. So u2 (items 2 and 3) scores item 1 zero, though sim(2, 1) = 1/3.
    const u2 = await m.scoreBlock(Int32Array.of(2));
    expect(Array.from(u2)).toEqual(Array.from(Float32Array.from([sim(1, 2, 2), 0, sim(1, 1, 2), sim(1, 2, 1)])));
  });
});
