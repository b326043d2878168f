import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, exactService } from '../src/index.js';
import { bruteForce, randomModel, textVector, userVector } from './helpers.js';

const model = randomModel(3, 30, 200, 8);
let app: FastifyInstance;

beforeAll(async () => {
  app = await buildApp(exactService(model), { logger: false, bodyLimit: 4096, maxK: 100 });
});
afterAll(() => app.close());

const recommend = (body: unknown) => app.inject({ method: 'POST', url: '/v1/recommend', payload: body as object });
const expectRanking = (items: { id: number; score: number; title: string }[], want: { id: number; score: number }[]) => {
  expect(items.map((i) => i.id)).toEqual(want.map((w) => w.id));
  items.forEach((it, r) => {
    expect(it.score).toBeCloseTo(want[r].score, 4);
    expect(it.title).toBe(`Movie ${it.id}`);
  });
};

describe('POST /v1/recommend (exact scorer)', () => {
  it('a known user: top-k by dot product, their known items excluded', async () => {
    const res = await recommend({ user: 7, k: 12 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ model: 'MF', backend: 'exact' });
    expectRanking(body.items, bruteForce(model, userVector(model, 7), 12, model.seen!.row(7)));
  });

  it('includeSeen keeps the known items; exclude always applies', async () => {
    const all = bruteForce(model, userVector(model, 7), 200, []);
    const res = (await recommend({ user: 7, k: 5, includeSeen: true, exclude: [all[0].id, all[2].id] })).json();
    expectRanking(res.items, bruteForce(model, userVector(model, 7), 5, [all[0].id, all[2].id]));
    const seen = new Set(model.seen!.row(7));
    const seenTop = bruteForce(model, userVector(model, 7), 200, []).findIndex((r) => seen.has(r.id));
    const withSeen = (await recommend({ user: 7, k: seenTop + 1, includeSeen: true })).json();
    expect(seen.has(withSeen.items[seenTop].id)).toBe(true);
  });

  it('a history: the model\'s vector for it (here the mean), the history excluded', async () => {
    const history = [4, 9, 150];
    const q = new Float32Array(8);
    for (const j of history) for (let c = 0; c < 8; c++) q[c] += model.itemsT[c * 200 + j] / 3;
    expectRanking((await recommend({ history, k: 10 })).json().items, bruteForce(model, q, 10, history));
  });

  it('history + intention + alpha: (1 - alpha) u/|u| + alpha e/|e|', async () => {
    const u = userVector(model, 3);
    const e = textVector('something funny', 8);
    const nu = Math.hypot(...u);
    const ne = Math.hypot(...e);
    const q = Float32Array.from(u, (v, c) => 0.7 * (v / nu) + 0.3 * (e[c] / ne));
    const res = (await recommend({ user: 3, intention: 'something funny', alpha: 0.3, k: 8 })).json();
    expectRanking(res.items, bruteForce(model, q, 8, model.seen!.row(3)));
  });

  it('a conversation: its vector; mentioned items kept unless excludeMentioned', async () => {
    const conversation = [
      { role: 'seeker', text: 'I liked Movie 5 and Movie 6', items: [5, 6] },
      { role: 'recommender', text: 'Try Movie 7', items: [7] },
    ];
    const q = new Float32Array(8);
    for (const j of [5, 6, 7]) for (let c = 0; c < 8; c++) q[c] += model.itemsT[c * 200 + j] / 3;
    expectRanking((await recommend({ conversation, k: 6 })).json().items, bruteForce(model, q, 6, []));
    expectRanking((await recommend({ conversation, k: 6, excludeMentioned: true })).json().items, bruteForce(model, q, 6, [5, 6, 7]));
  });
});

describe('bad requests: 4xx naming the field', () => {
  const cases: [string, unknown, number, string, string | undefined][] = [
    ['unknown user', { user: 30 }, 400, 'E_UNKNOWN_USER', 'user'],
    ['unknown item in a history', { history: [1, 200] }, 400, 'E_UNKNOWN_ITEM', 'history[1]'],
    ['unknown item in exclude', { user: 1, exclude: [999] }, 400, 'E_UNKNOWN_ITEM', 'exclude[0]'],
    ['k as a string', { user: 1, k: '10' }, 400, 'E_VALIDATION', 'k'],
    ['k = 0', { user: 1, k: 0 }, 400, 'E_VALIDATION', 'k'],
    ['k over the limit', { user: 1, k: 101 }, 400, 'E_VALIDATION', 'k'],
    ['a fractional user', { user: 1.5 }, 400, 'E_VALIDATION', 'user'],
    ['a negative item id', { history: [-1] }, 400, 'E_VALIDATION', 'history[0]'],
    ['two input kinds', { user: 1, history: [2] }, 400, 'E_VALIDATION', 'history'],
    ['no input kind', { k: 3 }, 400, 'E_VALIDATION', 'user'],
    ['alpha without intention', { user: 1, alpha: 0.5 }, 400, 'E_VALIDATION', 'alpha'],
    ['alpha out of range', { user: 1, intention: 'x', alpha: 2 }, 400, 'E_VALIDATION', 'alpha'],
    ['an unknown key', { user: 1, usr: 2 }, 400, 'E_VALIDATION', 'usr'],
    ['a bad turn role', { conversation: [{ role: 'bot', text: 'hi' }] }, 400, 'E_VALIDATION', 'conversation[0].role'],
    ['an unknown model', { model: 'LightGCN', user: 1 }, 400, 'E_UNKNOWN_MODEL', 'model'],
    ['a JSON array body', [1, 2], 400, 'E_VALIDATION', 'body'],
  ];
  for (const [name, body, status, code, field] of cases) {
    it(name, async () => {
      const res = await recommend(body);
      expect(res.statusCode).toBe(status);
      const { error } = res.json();
      expect(error.code).toBe(code);
      expect(error.field).toBe(field);
      expect(error.message).toContain(`"${field}"`);
      expect(error.message).not.toMatch(/\n|at .*\(/);
    });
  }

  it('malformed JSON, a wrong media type, an oversized body', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/recommend', headers: { 'content-type': 'application/json' }, payload: '{"user": 1,' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'E_MALFORMED_JSON', field: 'body' });
    const text = await app.inject({ method: 'POST', url: '/v1/recommend', headers: { 'content-type': 'text/plain' }, payload: 'user=1' });
    expect(text.statusCode).toBe(415);
    const big = await recommend({ user: 1, exclude: Array.from({ length: 2000 }, (_, i) => i % 200) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toContain('4096 bytes');
  });
});

describe('GET endpoints and the OpenAPI document', () => {
  it('items, models, health; unknown item 404, non-integer id 400, unknown route 404', async () => {
    expect((await app.inject({ url: '/v1/items/17' })).json()).toEqual({ id: 17, title: 'Movie 17' });
    const missing = await app.inject({ url: '/v1/items/200' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'E_UNKNOWN_ITEM', field: 'id' });
    const notInt = await app.inject({ url: '/v1/items/abc' });
    expect(notInt.statusCode).toBe(400);
    expect(notInt.json().error.field).toBe('id');
    expect((await app.inject({ url: '/v1/models' })).json()).toEqual({
      models: [{ name: 'MF', backend: 'exact', score: 'dot', dim: 8, nItems: 200, nUsers: 30, inputs: ['user', 'history', 'intention', 'conversation'] }],
    });
    expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({ status: 'ok', models: 1 });
    expect((await app.inject({ url: '/nope' })).statusCode).toBe(404);
  });

  it('documents every route from the same zod schemas (OpenAPI 3)', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/v1/items/{id}', '/v1/models', '/v1/recommend']);
    const body = doc.paths['/v1/recommend'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['user', 'history', 'intention', 'alpha', 'conversation', 'k', 'exclude', 'includeSeen']));
    expect(body.properties.k).toMatchObject({ minimum: 1, maximum: 100, default: 10 });
    expect(body.additionalProperties).toBe(false);
    expect(doc.paths['/v1/recommend'].post.responses['400']).toBeDefined();
  });
});
