import { describe, expect, it } from 'vitest';
import { exactService, ScoreService, type RecommendRequest } from '../src/index.js';
import { randomModel } from './helpers.js';

const full = (r: Partial<RecommendRequest>): RecommendRequest => ({ k: 10, exclude: [], includeSeen: false, excludeMentioned: false, ...r });

describe('ScoreService (models seen through score rows)', () => {
  it('answers like the factorised service, scoring concurrent users in shared calls', async () => {
    const m = randomModel(4, 40, 500, 8);
    const dense = (vectors: Float32Array, n: number) => {
      const out = new Float32Array(n * m.nItems);
      for (let r = 0; r < n; r++) for (let j = 0; j < m.nItems; j++) for (let c = 0; c < 8; c++) out[r * m.nItems + j] += vectors[r * 8 + c] * m.itemsT[c * m.nItems + j];
      return out;
    };
    const calls: number[] = [];
    const service = new ScoreService({
      name: 'MF',
      nItems: m.nItems,
      nUsers: 40,
      titles: m.titles,
      seen: m.seen,
      scoreUsers: (users) => {
        calls.push(users.length);
        const v = new Float32Array(users.length * 8);
        users.forEach((u, r) => v.set(m.users!.subarray(u * 8, (u + 1) * 8), r * 8));
        return dense(v, users.length);
      },
      scoreHistories: async (hs) => dense(await m.history!(hs), hs.length),
    });
    const reference = exactService(m, { batch: false });
    const requests = [...Array.from({ length: 40 }, (_, u) => full({ user: u, k: 3 + (u % 7), exclude: [u], includeSeen: u % 4 === 0 })), full({ history: [3, 4, 5] })];
    const [got, want] = await Promise.all([Promise.all(requests.map((r) => service.recommend(r))), Promise.all(requests.map((r) => reference.recommend(r)))]);
    got.forEach((g, i) => {
      expect(g.items.map((x) => x.id)).toEqual(want[i].items.map((x) => x.id));
      g.items.forEach((x, r) => expect(x.score).toBeCloseTo(want[i].items[r].score, 4));
    });
    expect(calls.reduce((a, b) => a + b, 0)).toBe(40);
    expect(calls.length).toBeLessThan(40);
    await expect(service.recommend(full({ user: 40 }))).rejects.toMatchObject({ code: 'E_UNKNOWN_USER', field: 'user' });
    await expect(service.recommend(full({ user: 1, intention: 'x' }))).rejects.toMatchObject({ code: 'E_UNSUPPORTED', field: 'intention' });
    expect(await service.models()).toEqual([{ name: 'MF', backend: 'exact', score: 'model', dim: 0, nItems: 500, nUsers: 40, inputs: ['user', 'history'] }]);
  });
});
