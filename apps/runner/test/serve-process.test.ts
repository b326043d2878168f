import type { ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { loadSplit } from '@lmrec/datasets';
import { parseTarget, VectorStore } from '@lmrec/vectors';
import { openRun } from '../src/saved/open.js';
import { serveRun } from '../src/saved/server.js';
import { TerminalProgress } from '../src/progress/terminal.js';
import { runMain, spawnCli } from './cli.js';
import { tempDir } from './fixtures.js';
import { expectSameAnswer, recommendCli, trainCfRun, type Row } from './serve-fixtures.js';

let cf = '';
beforeAll(async () => {
  cf = await trainCfRun();
}, 240_000);

/** `lmrec serve ...` in a child process: resolves with its URL once it listens. */
function startServer(args: string[]): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null>; stderr: () => string }> {
  const child = spawnCli(['serve', ...args, '--port', '0']);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0];
      if (url) resolve({ child, url, exited, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`lmrec serve exited ${code} before listening: ${stderr}`)));
  });
}

async function ask(url: string, body: unknown): Promise<Row[]> {
  const res = await fetch(`${url}/v1/recommend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { items: Row[] };
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json.items;
}

const intention = 'a scary horror movie with ghosts';

async function expectAnswersLikeRecommend(url: string, tol: number): Promise<void> {
  expectSameAnswer(await ask(url, { user: 7, k: 10 }), await recommendCli([cf, '--user', '7', '--k', '10']), tol);
  expectSameAnswer(await ask(url, { user: 7, k: 5, intention, alpha: 0.5 }), await recommendCli([cf, '--user', '7', '--k', '5', '--intention', intention]), tol);
  expectSameAnswer(await ask(url, { model: 'MF', user: 12, k: 10 }), await recommendCli([cf, '--model', 'MF', '--user', '12', '--k', '10']), tol);
}

async function stop(server: Awaited<ReturnType<typeof startServer>>): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exited, server.stderr()).toBe(0);
  expect(server.stderr()).toContain('lmrec serve: stopped');
}

describe('lmrec serve in its own process, on loopback', () => {
  it('answers what lmrec recommend prints, and exits 0 on SIGTERM', async () => {
    const server = await startServer([cf]);
    await expectAnswersLikeRecommend(server.url, 1e-6);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; models: number };
    expect(health).toMatchObject({ status: 'ok', models: 3 });
    await stop(server);
  });
});

describe('lmrec export, then serve --index', () => {
  const db = join(tempDir('lmrec-export-'), 'vectors');

  it('writes every model with vectors, and re-exporting replaces it (same rows, next version)', async () => {
    const split = await loadSplit(join(cf, 'split-dataset'));
    for (const version of [1, 2]) {
      const { code, stdout, stderr } = await runMain(['export', cf, '--to', db, '--quiet']);
      expect(code, stderr).toBe(0);
      const lines = stdout.trim().split('\n');
      expect(lines.map((l) => /^exported (\S+):/.exec(l)?.[1])).toEqual(['AlphaRec', 'MF', 'FISM']);
      for (const l of lines) {
        expect(l).toContain(`${split.nItems} items + ${split.nUsers} users x `);
        expect(l).toContain(`version ${version}`);
        expect(l).toMatch(/HNSW by inner product/);
        expect(l).toMatch(/, \d+\.\d s -> pglite:/);
      }
      expect(lines[0]).toContain('x 64 dims, HNSW by inner product of unit vectors (= cosine)');
    }
    const store = await VectorStore.open(parseTarget(db));
    try {
      const runs = await store.runs();
      expect(runs.map((r) => [r.runKey, r.version, r.nItems, r.nUsers])).toEqual(
        ['AlphaRec', 'FISM', 'MF'].map((l) => [`serve-cf/${l}`, 2, split.nItems, split.nUsers]),
      );
      // The first version's tables went with the re-export.
      const tables = await store.client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'lmrec_%_v1'");
      expect(tables[0].n).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('never replaces what another run folder of the same config exported, unless --replace', async () => {
    const copy = join(tempDir('lmrec-export-copy-'), 'run');
    cpSync(cf, copy, { recursive: true });
    const refused = await runMain(['export', copy, '--to', db, '--model', 'MF', '--quiet']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `lmrec: field "to": "serve-cf/MF" in this database was exported from another run folder (${cf}), not ${copy} (hint: pass --replace to replace it, or export to another target)`,
    );
    const replaced = await runMain(['export', copy, '--to', db, '--model', 'MF', '--replace', '--quiet']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('exported MF:');
    expect(replaced.stdout).toContain('version 3');
    // back to the original folder, which serve --index below reads
    const back = await runMain(['export', cf, '--to', db, '--model', 'MF', '--replace', '--quiet']);
    expect(back.code, back.stderr).toBe(0);
  });

  it('serve --index answers like the exact scorer, in this process and in a child process', async () => {
    const served = await serveRun(await openRun(cf, { progress: new TerminalProgress('quiet') }), { index: parseTarget(db) });
    try {
      expect((await served.service.models()).map((m) => m.backend)).toEqual(['index', 'index', 'index']);
      // pgvector computes the inner product in float32 on its side: 1e-5.
      const body = { user: 7, k: 10 };
      const res = await served.app.inject({ method: 'POST', url: '/v1/recommend', payload: body });
      expectSameAnswer(res.json().items, await recommendCli([cf, '--user', '7', '--k', '10']), 1e-5);
    } finally {
      await served.close();
    }
    const server = await startServer([cf, '--index', db]);
    await expectAnswersLikeRecommend(server.url, 1e-5);
    await stop(server);
  });
});

describe('lmrec export to a PostgreSQL server (pglite-socket on loopback, reached through pg)', () => {
  let pg: PGlite;
  let socket: PGLiteSocketServer;
  beforeAll(async () => {
    pg = await PGlite.create({ extensions: { vector } });
    socket = new PGLiteSocketServer({ db: pg, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await socket.start();
    process.env.LMREC_PG_URL = `postgres://postgres:hunter2secret@${socket.getServerConn()}/postgres`;
  });
  afterAll(async () => {
    delete process.env.LMREC_PG_URL;
    await socket?.stop();
    await pg?.close();
  });

  it('--to postgres uses $LMREC_PG_URL, never prints it, and serve --index postgres answers', async () => {
    const { code, stdout, stderr } = await runMain(['export', cf, '--model', 'AlphaRec', '--to', 'postgres']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^exported AlphaRec: .* -> postgres \(env:LMREC_PG_URL\) \(run key serve-cf\/AlphaRec\)\n$/);
    for (const text of [stdout, stderr]) expect(text).not.toMatch(/hunter2secret|postgres:\/\//);
    // The whole run from that index: the model exported there is served, the others are named as left out.
    const served = await serveRun(await openRun(cf, { progress: new TerminalProgress('quiet') }), { index: parseTarget('postgres') });
    try {
      expect(served.skipped).toEqual(['MF', 'FISM']);
      expect((await served.service.models()).map((m) => [m.name, m.backend, m.runKey])).toEqual([['AlphaRec', 'index', 'serve-cf/AlphaRec']]);
      const res = await served.app.inject({ method: 'POST', url: '/v1/recommend', payload: { history: [1, 5, 9], k: 10 } });
      expectSameAnswer(res.json().items, await recommendCli([cf, '--history', '1,5,9', '--k', '10']), 1e-5);
    } finally {
      await served.close();
    }
    // A model that was not exported there: exit 1, and what to do.
    const missing = await runMain(['serve', cf, '--model', 'MF', '--index', 'postgres', '--quiet']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/MF was never exported to this database .*run lmrec export first; exported here: serve-cf\/AlphaRec/);
  });
});
