import { describe, expect, it } from 'vitest';
import { Batcher, buildApp, exactService } from '../src/index.js';
import { randomModel } from './helpers.js';

describe('batching', () => {
  it('concurrent requests are ranked in shared calls with the same answers as one by one', async () => {
    const model = randomModel(5, 64, 3000, 16, 'cosine');
    const batched = exactService(model);
    const single = exactService(model, { batch: false });
    const requests = Array.from({ length: 64 }, (_, i) => ({
      user: i,
      k: 1 + (i % 25),
      exclude: [i, 2 * i],
      includeSeen: i % 3 === 0,
      excludeMentioned: false,
    }));
    const [a, b] = await Promise.all([Promise.all(requests.map((r) => batched.recommend(r))), Promise.all(requests.map((r) => single.recommend(r)))]);
    expect(a).toEqual(b);
    expect(Math.max(...batched.batcher!.batchSizes)).toBeGreaterThan(1);
    expect(batched.batcher!.batchSizes.reduce((x, y) => x + y, 0)).toBe(64);
    expect(a[5].items).toHaveLength(6);
  });

  it('one failing batch rejects its own calls only; validation errors never reach a batch', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>(async (qs) => {
      calls++;
      if (qs.includes(13)) throw new Error('bad batch');
      return qs.map((q) => q * 2);
    }, { maxBatch: 4 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => batcher.push(i + 10)));
    expect(batcher.batchSizes).toEqual([4, 4, 2]);
    expect(calls).toBe(3);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const app = await buildApp(exactService(randomModel(5, 8, 50, 4)), { logger: false });
    const res = await Promise.all([app.inject({ method: 'POST', url: '/v1/recommend', payload: { user: 99 } }), app.inject({ method: 'POST', url: '/v1/recommend', payload: { user: 2 } })]);
    expect(res.map((r) => r.statusCode)).toEqual([400, 200]);
    await app.close();
  });
});
