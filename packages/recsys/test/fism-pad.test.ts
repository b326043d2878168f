import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, Rng, tf } from '@lmrec/core';
import { FismNet } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

/**
 * The official RTA FISM on plain arrays: the input row is [CLS] + h[-L:] +
 * [PAD] * (L - len(h)), the user vector the sum of ALL its embeddings over
 * (number of non-PAD entries)^0.5, logits = u . e_j + b_j over the items.
 */
function officialFism(table: number[][], pad: number[], bias: number[], history: number[], L: number): number[] {
  const nItems = bias.length;
  const cls = nItems;
  const row = [cls, ...history.slice(-L), ...Array(Math.max(0, L - history.length)).fill(-1)];
  const nonPad = row.filter((j) => j !== -1).length;
  const u = pad.map((_, c) => row.reduce((s, j) => s + (j === -1 ? pad[c] : table[j][c]), 0) / Math.sqrt(nonPad));
  return bias.map((b, j) => b + u.reduce((s, uc, c) => s + uc * table[j][c], 0));
}

describe('FismNet padRow (the official frozen PAD row)', () => {
  it('logits equal the official padded sum, for short, full and over-long histories', () => {
    const nItems = 4;
    const d = 3;
    const L = 3;
    const net = new FismNet({ nItems, dim: d, maxHistory: L, padRow: true, seed: 5 });
    const rng = new Rng(9);
    const table = Array.from({ length: nItems + 1 }, () => Array.from({ length: d }, () => rng.normal()));
    const bias = Array.from({ length: nItems }, () => rng.normal());
    const pad = arr(net.state()['item.pad']);
    expect(pad.some((x) => x !== 0)).toBe(true);
    net.loadState({ 'item.embedding': tf.tensor2d(table), 'item.bias': tf.tensor1d(bias), 'item.pad': tf.tensor2d([pad]) });
    const histories = [[], [2], [0, 3, 1], [1, 2, 3, 0, 2]];
    const got = arr(net.logits(histories.map((h) => Int32Array.from(h)), false));
    histories.forEach((h, r) => {
      const want = officialFism(table, pad, bias, h, L);
      want.forEach((w, j) => expect(got[r * nItems + j]).toBeCloseTo(w, 5));
    });
    net.dispose();
  });

  it('the PAD row is N(0, initStd^2), not trainable, and unchanged by a gradient step', () => {
    const net = new FismNet({ nItems: 50, dim: 64, padRow: true, initStd: 0.01, seed: 2 });
    const pad0 = arr(net.state()['item.pad']);
    const std = Math.sqrt(pad0.reduce((s, x) => s + x * x, 0) / pad0.length);
    expect(std).toBeGreaterThan(0.006);
    expect(std).toBeLessThan(0.014);
    expect(net.trainableVariables().map((v) => v.name)).not.toContain((net.state()['item.pad'] as tf.Variable).name);
    const opt = tf.train.adam(0.1);
    opt.minimize(() => tf.sum(tf.square(net.logits([Int32Array.of(1, 2)], true))) as tf.Scalar, false, net.trainableVariables());
    expect(arr(net.state()['item.pad'])).toEqual(pad0);
    opt.dispose();
    net.dispose();
  });

  it('without padRow the state has no PAD row (saved models load as before)', () => {
    const net = new FismNet({ nItems: 5, dim: 2 });
    expect(Object.keys(net.state()).sort()).toEqual(['item.bias', 'item.embedding']);
    net.dispose();
  });
});

describe('FismNet itemBias: false (the official train.py default, recsys_with_bias False)', () => {
  it('logits and column logits equal the official padded sum with no bias; no bias variable', () => {
    const nItems = 4;
    const d = 3;
    const L = 3;
    const net = new FismNet({ nItems, dim: d, maxHistory: L, padRow: true, itemBias: false, seed: 5 });
    expect(Object.keys(net.state()).sort()).toEqual(['item.embedding', 'item.pad']);
    expect(net.trainableVariables()).toHaveLength(1);
    const rng = new Rng(3);
    const table = Array.from({ length: nItems + 1 }, () => Array.from({ length: d }, () => rng.normal()));
    const pad = arr(net.state()['item.pad']);
    net.loadState({ 'item.embedding': tf.tensor2d(table), 'item.pad': tf.tensor2d([pad]) });
    const histories = [[], [1, 3], [0, 2, 3, 1]];
    const got = arr(net.logits(histories.map((h) => Int32Array.from(h)), false));
    const cols = Int32Array.of(3, 0);
    const gotCols = arr(net.columnLogits(histories.map((h) => Int32Array.from(h)), cols, false));
    histories.forEach((h, r) => {
      const want = officialFism(table, pad, Array(nItems).fill(0), h, L);
      want.forEach((w, j) => expect(got[r * nItems + j]).toBeCloseTo(w, 5));
      cols.forEach((j, k) => expect(gotCols[r * cols.length + k]).toBeCloseTo(want[j], 5));
    });
    net.dispose();
  });

  it('the Fism recommender passes it on, trains and scores without a bias', async () => {
    const { Fism } = await import('../src/index.js');
    const { plantedSplit } = await import('./helpers.js');
    const split = plantedSplit({ users: 16, items: 24 });
    const m = new Fism({ dim: 8, itemBias: false });
    await m.fit(split, { epochs: 1, evalEvery: 0 });
    expect(Object.keys(m.net!.state())).not.toContain('item.bias');
    const scores = await m.scoreBlock(Int32Array.of(2));
    const u = arr(m.net!.userVectors([split.train.row(2)]));
    const e = arr(m.net!.itemsT());
    scores.forEach((s, j) => expect(s).toBeCloseTo(u.reduce((acc, uc, c) => acc + uc * e[c * 24 + j], 0), 4));
    m.dispose();
  });
});
