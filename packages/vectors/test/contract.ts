import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { isLmrecError } from '@lmrec/core';
import { nearestSql, planSettings, vectorText, type VectorStore } from '../src/index.js';
import { exactTop, randomFactors } from './helpers.js';

const f = randomFactors(7, 40, 400, 16);

/** What every back end of the store must do (PGlite in-process, PostgreSQL over the wire). */
export function storeContract(name: string, open: () => Promise<{ store: VectorStore; close: () => Promise<void> }>): void {
  describe(`VectorStore contract: ${name}`, () => {
    let store: VectorStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => {
      await close?.();
    });

  it('answers like the exact scorer: the same ids and scores (dot product, inner-product index)', async () => {
    const run = await store.exportRun({ runKey: 'mf', model: 'MF-BPR', runId: 'r1', score: 'dot', dim: f.dim, nItems: f.nItems, itemsT: f.itemsT, titles: f.titles, users: f.users, seen: f.seen, metadata: { epochs: 3 } });
    expect(run).toMatchObject({ runKey: 'mf', version: 1, model: 'MF-BPR', runId: 'r1', score: 'dot', dim: 16, nItems: 400, nUsers: 40, metadata: { epochs: 3 } });
    for (const u of [0, 13, 39]) {
      const user = (await store.user('mf', u))!;
      expect(Array.from(user.vector)).toEqual(Array.from(f.users.subarray(u * 16, (u + 1) * 16)));
      expect(Array.from(user.seen)).toEqual(Array.from(f.seen.row(u)));
      const want = exactTop(f, user.vector, 10, Array.from(user.seen), 'dot');
      for (const plan of ['auto', 'index', 'exact'] as const) {
        const got = await store.nearest('mf', user.vector, { k: 10, exclude: user.seen, efSearch: 1000, plan });
        expect(got.map((r) => r.id)).toEqual(want.ids);
        got.forEach((r, i) => expect(r.score).toBeCloseTo(want.scores[i], 4));
        expect(got[0].title).toBe(f.titles[got[0].id]);
      }
    }
  });

  it('ranks by cosine for cosine models (cosine index), scores = cosine', async () => {
    await store.exportRun({ runKey: 'cos', model: 'AlphaRec', score: 'cosine', dim: f.dim, nItems: f.nItems, itemsT: f.itemsT, titles: f.titles });
    const q = f.users.slice(16, 32);
    const want = exactTop(f, q, 15, [], 'cosine');
    for (const plan of ['index', 'exact'] as const) {
      const got = await store.nearest('cos', q, { k: 15, efSearch: 1000, plan });
      expect(got.map((r) => r.id)).toEqual(want.ids);
      got.forEach((r, i) => expect(r.score).toBeCloseTo(want.scores[i], 5));
      expect(got[0].score).toBeLessThanOrEqual(1);
    }
  });

  it('excluded ids never push the answer below k, even when most items are excluded', async () => {
    const q = f.users.slice(0, 16);
    const best = exactTop(f, q, 400, [], 'dot').ids;
    const exclude = best.slice(0, 380); // the 380 best: only the 20 worst items are left
    for (const plan of ['auto', 'index'] as const) {
      const got = await store.nearest('mf', q, { k: 20, exclude, efSearch: 10, plan });
      expect(got.map((r) => r.id)).toEqual(exactTop(f, q, 20, exclude, 'dot').ids);
    }
    const few = await store.nearest('mf', q, { k: 50, exclude });
    expect(few).toHaveLength(20);
  });

  it('plan "index" scans the HNSW index with the operator of the score; "exact" does not', async () => {
    for (const [key, op] of [['mf', 'vector_ip_ops'], ['cos', 'vector_cosine_ops']]) {
      const run = await store.requireRun(key);
      const [def] = await store.client.query<{ d: string }>(`SELECT indexdef AS d FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%hnsw%'`, [run.itemsTable]);
      expect(def.d).toContain(op);
      const explain = (plan: 'index' | 'exact') =>
        store.client.transaction(async (tx) => {
          await planSettings(tx, 40, 20000, plan);
          const rows = await tx.query(`EXPLAIN ${nearestSql(run)}`, [vectorText(f.users, 0, 16), [1, 2], 5]);
          return rows.map((r) => Object.values(r)[0]).join('\n');
        });
      expect(await explain('index')).toMatch(/Index Scan using \S+ on/);
      expect(await explain('index')).not.toContain('Seq Scan');
      expect(await explain('exact')).not.toMatch(/Index Scan using \S*embedding/);
    }
  });

  it('a re-export replaces the run: version + 1, new vectors, old tables gone', async () => {
    const before = (await store.run('mf'))!;
    const g = randomFactors(8, 40, 300, 16);
    const after = await store.exportRun({ runKey: 'mf', model: 'MF-BPR', runId: 'r2', score: 'dot', dim: g.dim, nItems: g.nItems, itemsT: g.itemsT, titles: g.titles, users: g.users, seen: g.seen });
    expect(after.version).toBe(before.version + 1);
    expect(after.nItems).toBe(300);
    const tables = (await store.client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE 'lmrec_%'`)).map((r) => r.t);
    expect(tables).not.toContain(before.itemsTable);
    expect(tables).not.toContain(before.usersTable);
    expect(tables).toContain(after.itemsTable);
    const item = await store.item('mf', 299);
    expect(Array.from(item!.vector)).toEqual(Array.from({ length: 16 }, (_, c) => g.itemsT[c * 300 + 299]));
    expect(await store.item('mf', 300)).toBeUndefined();
    expect((await store.runs()).map((r) => r.runKey)).toEqual(['cos', 'mf']);
  });

  it('refuses bad input before writing, naming the field', async () => {
    const bad = async (patch: object, field: string) => {
      const error = await store.exportRun({ runKey: 'bad', model: 'x', score: 'dot', dim: 16, nItems: 400, itemsT: f.itemsT, ...patch }).catch((e) => e);
      expect(isLmrecError(error), String(error)).toBe(true);
      expect(error.field).toBe(field);
    };
    await bad({ itemsT: f.itemsT.subarray(1) }, 'itemsT');
    await bad({ titles: ['a'] }, 'titles');
    await bad({ itemsT: Float32Array.from(f.itemsT, (v, i) => (i === 5 ? NaN : v)) }, 'itemsT');
    await bad({ score: 'cosine', itemsT: Float32Array.from(f.itemsT, (v, i) => (i % 400 === 3 ? 0 : v)) }, 'itemsT');
    await bad({ users: f.users.subarray(3) }, 'users');
    expect(await store.run('bad')).toBeUndefined();
    const missing = await store.nearest('nope', f.users.slice(0, 16), { k: 3 }).catch((e) => e);
    expect(missing.code).toBe('E_NOT_FOUND');
    expect(missing.message).toContain('exported: cos, mf');
  });

  });
}
