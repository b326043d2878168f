import { Csr, Rng } from '@lmrec/core';
import { describe, expect, it } from 'vitest';
import { InteractionSampler, type InteractionBatch } from '../src/index.js';
import { TrainMembership } from '../src/trainer/sampler-draws.js';
import { plantedSplit } from './helpers.js';

/**
 * The sampler's stream written the slow, obvious way: user-mod order, a
 * positive by rng.int over the row, negatives by rng.int over the user's
 * range until one is outside the row (and, without replacement, not drawn yet).
 */
function reference(train: Csr, rng: Rng, batchSize: number, negatives: number, replacement: boolean, range: (u: number) => [number, number]): InteractionBatch[] {
  const active = [...Array(train.nRows).keys()].filter((u) => train.degree(u) > 0);
  const order = Int32Array.from({ length: train.nnz }, (_, i) => i);
  rng.shuffle(order);
  const out: InteractionBatch[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const size = Math.min(batchSize, order.length - start);
    const b = { users: new Int32Array(size), pos: new Int32Array(size), neg: new Int32Array(size * negatives), negatives, batchSize };
    for (let r = 0; r < size; r++) {
      const u = active[order[start + r] % active.length];
      const row = [...train.row(u)];
      b.users[r] = u;
      b.pos[r] = row[rng.int(row.length)];
      const [lo, hi] = range(u);
      const taken: number[] = [];
      for (let s = 0; s < negatives; s++) {
        let j: number;
        do j = lo + rng.int(hi - lo);
        while (row.includes(j) || (!replacement && taken.includes(j)));
        taken.push(j);
        b.neg[r * negatives + s] = j;
      }
    }
    out.push(b);
  }
  return out;
}

describe('InteractionSampler draws the reference stream', () => {
  const split = plantedSplit({ users: 50, items: 30, pIn: 0.5 });
  const cases = [
    { negatives: 1, replacement: true, half: false },
    { negatives: 7, replacement: false, half: false },
    { negatives: 3, replacement: true, half: true },
    { negatives: 4, replacement: false, half: true },
  ];
  for (const c of cases) {
    it(`${c.negatives} negatives, replacement ${c.replacement}, ${c.half ? 'per-user item ranges' : 'all items'}`, () => {
      // users in two domains: even users draw from items [0, 20), odd ones from [10, 30)
      const range = (u: number): [number, number] => (c.half ? (u % 2 ? [10, 30] : [0, 20]) : [0, 30]);
      const sampler = new InteractionSampler(split.train, { negatives: c.negatives, replacement: c.replacement, itemRange: c.half ? range : undefined });
      const got = [...sampler.batches(new Rng(11), 64)].map((x) => x.batch);
      const want = reference(split.train, new Rng(11), 64, c.negatives, c.replacement, range);
      expect(got.length).toBe(want.length);
      got.forEach((b, i) => expect(b).toEqual(want[i]));
    });
  }

  it('a CSR whose rows are not sorted: still never a train item as a negative, positives in the CSR order', () => {
    const t = split.train;
    const reversed = t.indices.slice();
    for (let u = 0; u < t.nRows; u++) reversed.subarray(t.indptr[u], t.indptr[u + 1]).reverse();
    const unsorted = new Csr(t.nRows, t.nCols, t.indptr, reversed);
    const got = [...new InteractionSampler(unsorted, { negatives: 5 }).batches(new Rng(3), 64)].map((x) => x.batch);
    const want = reference(unsorted, new Rng(3), 64, 5, true, () => [0, 30]);
    got.forEach((b, i) => expect(b).toEqual(want[i]));
  });
});

describe('TrainMembership (the rejection test)', () => {
  const t = plantedSplit({ users: 40, items: 25, pIn: 0.4 }).train;
  const reversed = t.indices.slice();
  for (let u = 0; u < t.nRows; u++) reversed.subarray(t.indptr[u], t.indptr[u + 1]).reverse();
  const unsorted = new Csr(t.nRows, t.nCols, t.indptr, reversed);
  for (const [label, cells] of [['bitset', undefined], ['binary search', 0]] as const) {
    it(`${label}: every cell as the CSR says, sorted rows or not`, () => {
      for (const csr of [t, unsorted]) {
        const m = new TrainMembership(csr, cells);
        let hits = 0;
        for (let u = 0; u < csr.nRows; u++) {
          const row = [...csr.row(u)];
          for (let j = 0; j < csr.nCols; j++) {
            expect(m.has(u, j)).toBe(row.includes(j));
            hits += m.has(u, j) ? 1 : 0;
          }
        }
        expect(hits).toBe(csr.nnz);
      }
    });
  }
});
