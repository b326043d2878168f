import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { parseTarget, VectorStore } from '../src/index.js';
import { storeContract } from './contract.js';

// A real PostgreSQL wire-protocol server on loopback: PGlite behind pglite-socket,
// reached by the `pg` driver exactly as a managed PostgreSQL would be.
let db: PGlite;
let server: PGLiteSocketServer;
let address: string;

beforeAll(async () => {
  db = await PGlite.create({ extensions: { vector } });
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  address = server.getServerConn();
  process.env.LMREC_TEST_PG = `postgres://postgres:hunter2secret@${address}/postgres`;
});
afterAll(async () => {
  delete process.env.LMREC_TEST_PG;
  await server?.stop();
  await db?.close();
});

storeContract('PostgreSQL wire protocol (pg -> pglite-socket)', async () => {
  const store = await VectorStore.open(parseTarget('env:LMREC_TEST_PG'), { maxConnections: 1 });
  return { store, close: () => store.close() };
});

describe('server targets', () => {
  it('names the variable, never the connection string or password, when it cannot connect', async () => {
    process.env.LMREC_TEST_BAD = 'postgres://postgres:hunter2secret@127.0.0.1:1/postgres';
    const error = await VectorStore.open(parseTarget('env:LMREC_TEST_BAD')).catch((e) => e);
    delete process.env.LMREC_TEST_BAD;
    expect(error.code).toBe('E_DB_CONNECT');
    expect(error.message).toContain('$LMREC_TEST_BAD');
    expect(error.message).not.toContain('hunter2secret');
    expect(error.message).not.toContain('postgres://');
    const unset = await VectorStore.open(parseTarget('env:LMREC_TEST_UNSET')).catch((e) => e);
    expect(unset.message).toContain('LMREC_TEST_UNSET is not set');
  });

  it('keeps the connection string out of the stored metadata', async () => {
    const store = await VectorStore.open(parseTarget('env:LMREC_TEST_PG'), { maxConnections: 1 });
    try {
      const rows = await store.client.query<{ row: string }>(`SELECT row_to_json(r)::text AS row FROM lmrec_runs r`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.row).not.toContain('hunter2secret');
    } finally {
      await store.close();
    }
  });
});
