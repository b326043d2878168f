import { Rng } from '@lmrec/core';
import { describe, expect, it } from 'vitest';
import { ShuffledOrderSampler } from '../src/index.js';

/** Batches of unit ids plus one draw from the sampler's stream per batch. */
class Units extends ShuffledOrderSampler<{ ids: number[]; draw: number }> {
  readonly unit = 'units';
  *batches(_rng: Rng, batchSize: number) {
    for (const chunk of this.chunks(batchSize)) yield { batch: { ids: Array.from(chunk), draw: this.rng.int(1000) }, size: chunk.length };
  }
}

const epoch = (s: Units) => [...s.batches(new Rng(0), 3)].map((b) => b.batch);

describe('ShuffledOrderSampler', () => {
  it('each epoch is a permutation in chunks, the last one short', () => {
    const batches = epoch(new Units(7, new Rng(5)));
    expect(batches.map((b) => b.ids.length)).toEqual([3, 3, 1]);
    expect(batches.flatMap((b) => b.ids).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reshuffles the same order in place: epoch 2 equals a second independent walk of one stream', () => {
    // by hand: one Rng stream shuffling one array twice, drawing once per chunk
    const rng = new Rng(5);
    const order = Int32Array.from({ length: 7 }, (_, i) => i);
    const expected: { ids: number[]; draw: number }[][] = [];
    for (let e = 0; e < 2; e++) {
      rng.shuffle(order);
      const out = [];
      for (let s = 0; s < 7; s += 3) out.push({ ids: Array.from(order.subarray(s, Math.min(7, s + 3))), draw: rng.int(1000) });
      expected.push(out);
    }
    const sampler = new Units(7, new Rng(5));
    expect([epoch(sampler), epoch(sampler)]).toEqual(expected);
  });

  it('state() then restore() into a fresh sampler continues the stream exactly', () => {
    const a = new Units(10, new Rng(9));
    epoch(a);
    const saved = JSON.parse(JSON.stringify(a.state()));
    const next = epoch(a);
    const b = new Units(10, new Rng(123));
    b.restore(saved);
    expect(epoch(b)).toEqual(next);
  });

  it('a checkpoint of another size is refused, naming the unit', () => {
    const saved = new Units(4, new Rng(1)).state();
    expect(() => new Units(5, new Rng(1)).restore(saved)).toThrow(/units order has 4 entries, the training data 5/);
  });
});
