import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTarget, VectorStore } from '../src/index.js';
import { tempDir } from './helpers.js';
import { storeContract } from './contract.js';

const tmp = tempDir('lmrec-vectors-');
let store: VectorStore;

beforeAll(async () => {
  store = await VectorStore.open(parseTarget(join(tmp.dir, 'db')));
});
afterAll(async () => {
  await store?.close();
  tmp.cleanup();
});

storeContract('PGlite folder', async () => ({ store, close: async () => {} }));

describe('VectorStore on PGlite', () => {
  it('drops a run with its tables; a second open of the same folder is refused while this one is open', async () => {
    const run = (await store.run('cos'))!;
    expect(await store.dropRun('cos')).toBe(true);
    expect(await store.dropRun('cos')).toBe(false);
    const tables = (await store.client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename = $1`, [run.itemsTable]));
    expect(tables).toHaveLength(0);
    const locked = await VectorStore.open(parseTarget(join(tmp.dir, 'db'))).catch((e) => e);
    expect(locked.code).toBe('E_LOCKED');
    expect(existsSync(join(tmp.dir, 'db.lmrec-lock'))).toBe(true);
  });
});

describe('parseTarget', () => {
  it('reads folders, pglite: and env: targets and refuses connection strings', () => {
    expect(parseTarget('pglite:db', '/x')).toEqual({ kind: 'pglite', dir: '/x/db' });
    expect(parseTarget('./vec', '/x')).toEqual({ kind: 'pglite', dir: '/x/vec' });
    expect(parseTarget('env:MY_PG')).toEqual({ kind: 'postgres', env: 'MY_PG' });
    expect(parseTarget('postgres')).toEqual({ kind: 'postgres', env: 'LMREC_PG_URL' });
    const e = (() => { try { parseTarget('postgres://u:secret@h/db'); } catch (err) { return err as Error; } })()!;
    expect(e.message).not.toContain('secret');
    expect(() => parseTarget('env:1BAD')).toThrow(/environment variable name/);
  });
});
