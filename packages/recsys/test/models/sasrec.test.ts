import { describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { plantedSplit } from '../helpers.js';
import { gatingRecommenderContract, recommenderContract } from '@lmrec/testing';
import { ID_ORDER_WARNING, SasRec, SasRecNet, type RecsysFitOptions } from '../../src/index.js';

const fit: RecsysFitOptions = { epochs: 20, batchSize: 32, lr: 5e-3, evalEvery: 5, metric: 'recall@10' };
recommenderContract({ name: 'sasrec', create: () => new SasRec({ dim: 32, maxLen: 12 }), fit, quickFit: { ...fit, epochs: 1, evalEvery: 0 }, training: { fit: { ...fit, epochs: 4, evalEvery: 2, patience: 100 } } });
gatingRecommenderContract({ name: 'sasrec (gating net)', create: (nItems, seed) => new SasRecNet({ nItems, seed, dim: 16, maxLen: 8 }), stochastic: true });

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

  it('says so when no order is given (item-id order), and only then', async () => {
    await initBackend();
    const split = plantedSplit({ users: 12, items: 20 });
    const logged: string[] = [];
    const progress = { start: () => ({ tick() {}, set() {}, end() {} }), log: (line: string) => logged.push(line) };
    const m = new SasRec({ dim: 8, maxLen: 6 });
    const byIds = await m.fit(split, { epochs: 1, evalEvery: 0, progress });
    expect(byIds.warning).toBe(ID_ORDER_WARNING);
    expect(logged).toContain(`warning: sasrec: ${ID_ORDER_WARNING}`);
    const sequences = Array.from({ length: 12 }, (_, u) => split.train.row(u).slice().reverse());
    const timed = await m.fit(split, { epochs: 1, evalEvery: 0, sequences });
    expect(timed.warning).toBeUndefined();
    m.dispose();
  });

  it('refuses sequences that are not the train items of the split', async () => {
    await initBackend();
    const split = plantedSplit({ users: 12, items: 20 });
    const rows = Array.from({ length: 12 }, (_, u) => Array.from(split.train.row(u)));
    const dropped = rows.map((r, u) => (u === 3 ? r.slice(1) : r));
    const foreign = rows.map((r, u) => (u === 5 ? [...r.slice(1), [...Array(20).keys()].find((j) => !r.includes(j))!] : r));
    for (const sequences of [dropped, foreign]) {
      const m = new SasRec({ dim: 8, maxLen: 6 });
      await expect(m.fit(split, { epochs: 1, evalEvery: 0, sequences })).rejects.toThrow(/sequences\[[35]\] holds/);
      m.dispose();
    }
  });
});

describe('SasRec BCE loss (paper)', () => {
  it('equals mean softplus(-s(next)) + softplus(s(neg)) with one negative outside the sequence per position', async () => {
    await initBackend();
    const { Rng, tf } = await import('@lmrec/core');
    const split = plantedSplit({ users: 10, items: 40, pIn: 0.9 });
    const L = 6;
    const m = new SasRec({ dim: 8, maxLen: L, dropout: 0, loss: 'bce' });
    m.init(split, new Rng(1));
    const users = Int32Array.of(0, 3);
    const got = m.loss({ users }, { epoch: 0, step: 0, rng: new Rng(42), split }).dataSync()[0];

    const net = m.net!;
    const H = net.hidden(Array.from(users, (u) => { const s = split.train.row(u); return s.slice(Math.max(0, s.length - L - 1), s.length - 1); }), false).arraySync();
    const E = net.itemEmbedding.arraySync() as number[][];
    const bias = Array.from(net.itemBias.dataSync());
    const rng = new Rng(42);
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const score = (h: number[], j: number) => h.reduce((a, v, c) => a + v * E[j][c], 0) + bias[j];
    let sum = 0;
    let count = 0;
    users.forEach((u, b) => {
      const seq = Array.from(split.train.row(u));
      const s = seq.slice(-(L + 1));
      const n = s.length - 1;
      for (let t = 0; t < n; t++) {
        let neg: number;
        do neg = rng.int(40);
        while (seq.includes(neg));
        const h = H[b][L - n + t];
        sum += softplus(-score(h, s[t + 1])) + softplus(score(h, neg));
        count++;
      }
    });
    expect(count).toBeGreaterThan(4);
    expect(got).toBeCloseTo(sum / count, 4);
    tf.dispose();
    m.dispose();
  });
});
