import { describe, expect, it } from 'vitest';
import { Rng } from '@lmrec/core';
import { AlphaRecSampler } from '../src/sampler.js';
import { splitFromRows } from './helpers.js';

describe('AlphaRecSampler', () => {
  const train = [[0, 1, 2, 3, 4, 5, 6], [7], [], [2, 9]]; // user 2 has no train items
  const split = splitFromRows(12, train);

  it('never draws a train item of the user, draws positives from the train items, maps k -> active user k mod n', () => {
    const sampler = new AlphaRecSampler(split.train, { negatives: 256, dropLast: false });
    expect(sampler.size()).toBe(10);
    const counts = new Map<number, number>();
    const violations: string[] = [];
    let seenRepeat = false;
    let draws = 0;
    for (let epoch = 0; epoch < 20; epoch++) {
      for (const { batch, size } of sampler.batches(new Rng(epoch), 4)) {
        for (let r = 0; r < size; r++) {
          const u = batch.users[r];
          if (!train[u].includes(batch.pos[r])) violations.push(`positive ${batch.pos[r]} of user ${u}`);
          const negs = Array.from(batch.neg.subarray(r * 256, (r + 1) * 256));
          for (const j of negs) {
            draws++;
            if (train[u].includes(j) || !(j >= 0 && j < 12)) violations.push(`negative ${j} of user ${u}`);
          }
          if (new Set(negs).size < negs.length) seenRepeat = true; // with replacement
          counts.set(u, (counts.get(u) ?? 0) + 1);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(draws).toBe(20 * 10 * 256);
    expect(counts.has(2)).toBe(false);
    // 10 samples over 3 active users (0, 1, 3): indices 0..9 mod 3 -> 4, 3, 3 per epoch
    expect(counts.get(0)).toBe(80);
    expect(counts.get(1)).toBe(60);
    expect(counts.get(3)).toBe(60);
    expect(seenRepeat).toBe(true);
  });

  it('drops the last incomplete batch by default and is deterministic per seed', () => {
    const sampler = new AlphaRecSampler(split.train, { negatives: 3 });
    const a = [...sampler.batches(new Rng(4), 4)];
    const b = [...sampler.batches(new Rng(4), 4)];
    expect(a.map((x) => x.size)).toEqual([4, 4]);
    expect(a.map((x) => Array.from(x.batch.neg))).toEqual(b.map((x) => Array.from(x.batch.neg)));
  });

  it('keeps negatives within the user domain when given item ranges', () => {
    const sampler = new AlphaRecSampler(split.train, { negatives: 50, dropLast: false, itemRange: (u) => (u === 3 ? [8, 12] : [0, 8]) });
    const violations: number[] = [];
    for (const { batch, size } of sampler.batches(new Rng(1), 5)) {
      for (let r = 0; r < size; r++) {
        const [lo, hi] = batch.users[r] === 3 ? [8, 12] : [0, 8];
        for (const j of batch.neg.subarray(r * 50, (r + 1) * 50)) if (!(j >= lo && j < hi) || train[batch.users[r]].includes(j)) violations.push(j);
      }
    }
    expect(violations).toEqual([]);
  });
});
