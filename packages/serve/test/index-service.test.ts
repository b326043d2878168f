import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTarget, VectorStore } from '@lmrec/vectors';
import { buildApp, exactService, indexService } from '../src/index.js';
import { randomModel } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lmrec-serve-index-'));
let store: VectorStore;

beforeAll(async () => {
  store = await VectorStore.open(parseTarget(join(dir, 'db')));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the index-backed service answers like the exact one', () => {
  for (const score of ['dot', 'cosine'] as const) {
    it(`${score}: same ids, same scores, known items excluded, over HTTP`, async () => {
      const model = randomModel(11, 25, 300, 8, score);
      await store.exportRun({ runKey: `run/${score}`, model: model.name, score, dim: 8, nItems: 300, itemsT: model.itemsT, titles: model.titles, users: model.users, seen: model.seen });
      const exact = await buildApp(exactService(model), { logger: false });
      const index = await buildApp(await indexService(store, `run/${score}`, { efSearch: 1000, encoders: model }), { logger: false });
      try {
        const requests = [
          ...Array.from({ length: 25 }, (_, u) => ({ user: u, k: 10 })),
          { user: 4, k: 7, includeSeen: true },
          { user: 4, k: 7, exclude: [1, 2, 3] },
          { history: [10, 20, 30], k: 9 },
          { history: [10], intention: 'space opera', alpha: 0.4, k: 5 },
        ];
        for (const body of requests) {
          const [a, b] = await Promise.all([exact, index].map((app) => app.inject({ method: 'POST', url: '/v1/recommend', payload: body })));
          expect(b.statusCode).toBe(200);
          const ea = a.json();
          const eb = b.json();
          expect(eb.backend).toBe('index');
          expect(eb.items.map((i: { id: number }) => i.id)).toEqual(ea.items.map((i: { id: number }) => i.id));
          eb.items.forEach((it: { score: number; title: string }, r: number) => {
            expect(it.score).toBeCloseTo(ea.items[r].score, 4);
            expect(it.title).toBe(ea.items[r].title);
          });
        }
        expect((await index.inject({ url: '/v1/items/299' })).json()).toEqual({ id: 299, title: 'Movie 299' });
        expect((await index.inject({ url: '/v1/items/300' })).statusCode).toBe(404);
        const unknown = await index.inject({ method: 'POST', url: '/v1/recommend', payload: { user: 25 } });
        expect(unknown.json().error).toMatchObject({ code: 'E_UNKNOWN_USER', field: 'user' });
        const [info] = (await index.inject({ url: '/v1/models' })).json().models;
        expect(info).toMatchObject({ backend: 'index', score, runKey: `run/${score}`, version: 1, nItems: 300, nUsers: 25 });
      } finally {
        await exact.close();
        await index.close();
      }
    });
  }

  it('without encoders an index-backed model refuses history with a 400 naming the field', async () => {
    const app = await buildApp(await indexService(store, 'run/dot'), { logger: false });
    const res = await app.inject({ method: 'POST', url: '/v1/recommend', payload: { history: [1, 2] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'E_UNSUPPORTED', field: 'history' });
    await app.close();
  });
});
