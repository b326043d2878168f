import { describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { plantedSplit } from '../helpers.js';
import { SasRec } from '../../src/index.js';
import { recommenderContract } from '../contract/recommender.contract.js';

recommenderContract({ name: 'sasrec', create: () => new SasRec({ dim: 32, maxLen: 12 }), fit: { epochs: 30, batchSize: 32, lr: 5e-3, evalEvery: 5 }, trainable: true });

describe('SasRec sequences', () => {
  it('scores each user from the given (time) order, kept through save/load', async () => {
    await initBackend();
    const split = plantedSplit({ users: 20, items: 30 });
    const reversed = Array.from({ length: 20 }, (_, u) => split.train.row(u).slice().reverse());
    const m = new SasRec({ dim: 16, maxLen: 10 });
    await m.fit(split, { epochs: 1, evalEvery: 0, sequences: reversed });
    const scores = await m.scoreBlock(Int32Array.of(4));
    const fromGiven = m.scoreHistories([reversed[4]]);
    const fromIds = m.scoreHistories([split.train.row(4)]);
    fromGiven.forEach((v, j) => expect(scores[j]).toBeCloseTo(v, 4));
    expect(Array.from(fromIds)).not.toEqual(Array.from(fromGiven));
    m.dispose();
  });
});
