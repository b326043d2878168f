import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildApp, exactService } from '../src/index.js';
import { bruteForce, randomModel, userVector } from './helpers.js';

// A few thousand random and malformed requests against a real server on
// loopback: nothing but well-formed 2xx/4xx JSON answers, and the server
// still answers correctly afterwards.
const model = randomModel(9, 20, 150, 8);
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = await buildApp(exactService(model), { logger: false, bodyLimit: 2048, maxK: 50 });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

const statuses = new Map<number, number>();

async function check(res: Response, body: unknown): Promise<void> {
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const text = await res.text();
  expect([200, 400, 404, 413, 415], `${res.status} for ${JSON.stringify(body)?.slice(0, 200)}: ${text}`).toContain(res.status);
  const json = JSON.parse(text);
  if (res.status !== 200) {
    expect(typeof json.error.code).toBe('string');
    expect(json.error.message).not.toMatch(/\n/);
    return;
  }
  if (json.items) {
    const b = body as { k?: number; exclude?: number[] };
    expect(json.items.length).toBeLessThanOrEqual(b.k ?? 10);
    const ids = json.items.map((i: { id: number }) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of b.exclude ?? []) expect(ids).not.toContain(id);
    for (let i = 1; i < json.items.length; i++) expect(json.items[i - 1].score).toBeGreaterThanOrEqual(json.items[i].score);
  }
}

const post = (payload: string, type = 'application/json') => fetch(`${url}/v1/recommend`, { method: 'POST', headers: { 'content-type': type }, body: payload });

const anyValue = fc.oneof(fc.integer({ min: -5, max: 300 }), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.integer({ min: -2, max: 200 }), { maxLength: 6 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }));
const nearlyValid = fc.record(
  {
    user: fc.oneof(fc.integer({ min: -1, max: 25 }), anyValue),
    history: fc.oneof(fc.array(fc.integer({ min: -1, max: 160 }), { maxLength: 8 }), anyValue),
    intention: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
    alpha: fc.oneof(fc.double({ min: -0.5, max: 1.5, noNaN: true }), anyValue),
    conversation: fc.oneof(fc.array(fc.record({ role: fc.constantFrom('seeker', 'recommender', 'bot'), text: fc.string({ maxLength: 20 }), items: fc.array(fc.integer({ min: 0, max: 160 }), { maxLength: 3 }) }, { requiredKeys: ['role', 'text'] }), { maxLength: 3 }), anyValue),
    k: fc.oneof(fc.integer({ min: -2, max: 60 }), anyValue),
    exclude: fc.oneof(fc.array(fc.integer({ min: -1, max: 160 }), { maxLength: 10 }), anyValue),
    includeSeen: fc.oneof(fc.boolean(), anyValue),
    excludeMentioned: fc.oneof(fc.boolean(), anyValue),
    model: fc.oneof(fc.constant('MF'), fc.string({ maxLength: 4 })),
    [fc.string({ maxLength: 5 }) as unknown as string]: anyValue,
  },
  { requiredKeys: [] },
);

describe('fuzz (loopback, bounded)', () => {
  it('random near-valid bodies', async () => {
    await fc.assert(fc.asyncProperty(nearlyValid, async (body) => check(await post(JSON.stringify(body)), body)), { numRuns: 1500, seed: 1 });
  });

  it('random valid user requests answer exactly (brute force)', async () => {
    const valid = fc.record({ user: fc.integer({ min: 0, max: 19 }), k: fc.integer({ min: 1, max: 50 }), exclude: fc.uniqueArray(fc.integer({ min: 0, max: 149 }), { maxLength: 20 }), includeSeen: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(valid, async (body) => {
        const res = await post(JSON.stringify(body));
        expect(res.status).toBe(200);
        const ids = ((await res.json()) as { items: { id: number }[] }).items.map((i: { id: number }) => i.id);
        const known = body.includeSeen ? [] : Array.from(model.seen!.row(body.user));
        expect(ids).toEqual(bruteForce(model, userVector(model, body.user), body.k, [...known, ...body.exclude]).map((r) => r.id));
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it('arbitrary JSON, raw bytes, wrong media types, odd item paths', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => check(await post(JSON.stringify(value)), value)), { numRuns: 600, seed: 2 });
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), async (raw) => check(await post(raw), raw)), { numRuns: 500, seed: 3 });
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 40 }), fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-8', 'multipart/form-data'), async (raw, type) => check(await post(raw, type), raw)), { numRuns: 200, seed: 4 });
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -10, max: 10_000_000_000 }).map(String)), async (id) => check(await fetch(`${url}/v1/items/${encodeURIComponent(id)}`), id)), { numRuns: 400, seed: 5 });
    await check(await post(JSON.stringify({ user: 1, exclude: Array.from({ length: 1000 }, (_, i) => i % 150) })), {});
    expect(statuses.get(413)).toBeGreaterThan(0);
  });

  it('is still up and answering correctly afterwards', async () => {
    const res = await post(JSON.stringify({ user: 4, k: 10 }));
    expect(res.status).toBe(200);
    const got = ((await res.json()) as { items: { id: number }[] }).items;
    expect(got.map((i: { id: number }) => i.id)).toEqual(bruteForce(model, userVector(model, 4), 10, model.seen!.row(4)).map((r) => r.id));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // every class of answer was exercised
    for (const s of [200, 400, 404, 413, 415]) expect(statuses.get(s), `status ${s}`).toBeGreaterThan(0);
    expect(statuses.get(500)).toBeUndefined();
  });
});
