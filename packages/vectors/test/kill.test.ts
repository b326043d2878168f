import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { parseTarget, VectorStore } from '../src/index.js';
import { exactTop, randomFactors, tempDir } from './helpers.js';
import { exited, exportChild, waitForLine } from './child.js';

const tmp = tempDir('lmrec-kill-');
afterAll(() => tmp.cleanup());

/** The committed version is v1 of seed 1: same vectors, same answers. */
async function expectFirstVersion(store: VectorStore): Promise<void> {
  const run = (await store.run('mf'))!;
  expect(run.version).toBe(1);
  expect(run.nItems).toBe(600);
  const f = randomFactors(1, 20, 600, 8);
  const user = (await store.user('mf', 3))!;
  expect(Array.from(user.vector)).toEqual(Array.from(f.users.subarray(24, 32)));
  const got = await store.nearest('mf', user.vector, { k: 5, exclude: user.seen, plan: 'exact' });
  expect(got.map((r) => r.id)).toEqual(exactTop(f, user.vector, 5, Array.from(user.seen), 'dot').ids);
  const tables = await store.client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename ~ '^lmrec_(items|users)_' ORDER BY 1`);
  expect(tables.map((r) => r.t)).toEqual([run.itemsTable, run.usersTable].sort());
}

describe('a killed export leaves the previous version intact', () => {
  it('PGlite folder: SIGKILL mid-export, reopen, v1 is there and answers', async () => {
    const spec = `pglite:${join(tmp.dir, 'db')}`;
    const first = exportChild([spec, 'mf', '1', '600', '200']);
    await waitForLine(first, /^done 1$/);
    expect((await exited(first)).code).toBe(0);

    const second = exportChild([spec, 'mf', '2', '20000', '100']);
    await waitForLine(second, /^batch 3$/); // inside the transaction: 300 of 20,000 items written
    second.kill('SIGKILL');
    expect((await exited(second)).signal).toBe('SIGKILL');

    const store = await VectorStore.open(parseTarget(spec)); // the dead child's lock is stale
    try {
      await expectFirstVersion(store);
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL wire protocol: a client killed mid-export is rolled back by the server', async () => {
    const db = await PGlite.create({ extensions: { vector } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await server.start();
    const env = { ...process.env, LMREC_TEST_PG: `postgres://postgres:pw@${server.getServerConn()}/postgres` };
    try {
      const first = exportChild(['env:LMREC_TEST_PG', 'mf', '1', '600', '200'], env);
      await waitForLine(first, /^done 1$/);
      await exited(first);
      const second = exportChild(['env:LMREC_TEST_PG', 'mf', '2', '20000', '100'], env);
      await waitForLine(second, /^batch 3$/);
      second.kill('SIGKILL');
      await exited(second);
      process.env.LMREC_TEST_PG = env.LMREC_TEST_PG;
      const store = await VectorStore.open(parseTarget('env:LMREC_TEST_PG'), { maxConnections: 1 });
      try {
        await expectFirstVersion(store);
      } finally {
        await store.close();
      }
    } finally {
      delete process.env.LMREC_TEST_PG;
      await server.stop();
      await db.close();
    }
  });
});
