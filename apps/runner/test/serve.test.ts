import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSplit } from '@lmrec/datasets';
import { openRun } from '../src/saved/open.js';
import { serveRun, type ServedRun } from '../src/saved/server.js';
import { parseConversation } from '../src/saved/conversation.js';
import { TerminalProgress } from '../src/progress/terminal.js';
import { runMain } from './cli.js';
import { tempDir } from './fixtures.js';
import { expectSameAnswer, recommendCli, trainCfRun, trainRtaRun, type Row } from './serve-fixtures.js';

let cf = '';
let rta = '';
let served: ServedRun;
let servedRta: ServedRun;

beforeAll(async () => {
  cf = await trainCfRun();
  rta = await trainRtaRun();
  served = await serveRun(await openRun(cf, { progress: new TerminalProgress('quiet') }));
  servedRta = await serveRun(await openRun(rta, { progress: new TerminalProgress('quiet') }));
}, 240_000);
afterAll(async () => {
  await served?.close();
  await servedRta?.close();
});

async function post(s: ServedRun, body: unknown): Promise<{ status: number; json: { items: Row[]; model: string; error?: { code: string; message: string; field?: string } } }> {
  const res = await s.app.inject({ method: 'POST', url: '/v1/recommend', payload: body as object });
  return { status: res.statusCode, json: res.json() };
}

const intention = 'a scary horror movie with ghosts';

// The same question asked of `lmrec serve` (HTTP body) and of `lmrec recommend` (flags).
const CASES: [string, Record<string, unknown>, string[]][] = [
  ['AlphaRec, a known user', { user: 4, k: 10 }, ['--user', '4', '--k', '10']],
  ['AlphaRec, user + intention', { user: 4, k: 8, intention, alpha: 0.6 }, ['--user', '4', '--k', '8', '--intention', intention, '--alpha', '0.6']],
  ['AlphaRec, a new history', { history: [1, 5, 9], k: 10 }, ['--history', '1,5,9', '--k', '10']],
  ['AlphaRec, history + intention', { history: [3, 11], k: 6, intention: 'a funny comedy', alpha: 0.3 }, ['--history', '3,11', '--k', '6', '--intention', 'a funny comedy', '--alpha', '0.3']],
  ['MF, a known user', { model: 'MF', user: 33, k: 20 }, ['--model', 'MF', '--user', '33', '--k', '20']],
  ['MF, known items kept', { model: 'MF', user: 0, k: 5, includeSeen: true }, ['--model', 'MF', '--user', '0', '--k', '5', '--include-seen']],
  ['FISM, a known user', { model: 'FISM', user: 5, k: 10 }, ['--model', 'FISM', '--user', '5', '--k', '10']],
  ['FISM, a new history (its own scores)', { model: 'FISM', history: [2, 7], k: 10 }, ['--model', 'FISM', '--history', '2,7', '--k', '10']],
];

describe('lmrec serve answers what lmrec recommend prints', () => {
  it.each(CASES)('%s', async (_name, body, flags) => {
    const { status, json } = await post(served, body);
    expect(status, JSON.stringify(json)).toBe(200);
    expectSameAnswer(json.items, await recommendCli([cf, ...flags]));
  });

  it('leaves out what a known user already has (train, valid and test), read from the split files', async () => {
    const split = await loadSplit(join(cf, 'split-dataset'));
    for (const [model, user] of [['AlphaRec', 4], ['MF', 33], ['FISM', 5]] as const) {
      const known = new Set([...split.train.row(user), ...split.valid.row(user), ...split.test.row(user)]);
      const { json } = await post(served, { model, user, k: 50 });
      expect(json.items).toHaveLength(50);
      expect(json.items.filter((r) => known.has(r.id))).toEqual([]);
      // With includeSeen the model's own ranking: the same list once the known items are taken out.
      const all = await post(served, { model, user, k: 1000, includeSeen: true });
      expect(all.json.items.filter((r) => known.has(r.id)).length).toBeGreaterThan(0);
      expect(all.json.items.filter((r) => !known.has(r.id)).slice(0, 50).map((r) => r.id)).toEqual(json.items.map((r) => r.id));
    }
  });

  it('an RTA run answers conversations as recommend --conversation does', async () => {
    const text = 'User: Hi! I am in the mood for a scary horror movie tonight.\nSystem: What did you watch lately?\nUser: I loved a haunted house film with ghosts\n';
    const file = join(tempDir('lmrec-talk-'), 'talk.txt');
    writeFileSync(file, text);
    const conversation = parseConversation(text).map((t) => ({ role: t.role, text: t.text }));
    const { status, json } = await post(servedRta, { conversation, k: 10 });
    expect(status, JSON.stringify(json)).toBe(200);
    expectSameAnswer(json.items, await recommendCli([rta, '--conversation', file, '--k', '10']));
    expect((await servedRta.service.models())[0]).toMatchObject({ name: 'reindex', inputs: ['conversation'], nUsers: 0 });
  });

  it('inputs a model does not take are a 400 naming the field and why', async () => {
    const cases: [ServedRun, Record<string, unknown>, number, string, RegExp][] = [
      [served, { user: 99999 }, 400, 'user', /user 99999 is not in the run \(users are 0\.\.\d+\)/],
      [served, { history: [1, 99999] }, 400, 'history[1]', /item 99999 is not in the catalogue/],
      [served, { model: 'MF', history: [1, 2] }, 400, 'history', /MF does not take "history": it cannot score a new history/],
      [served, { model: 'MF', user: 1, intention }, 400, 'intention', /MF does not take "intention"/],
      [served, { model: 'Nope', user: 1 }, 400, 'model', /no model "Nope"/],
      [served, { conversation: [{ role: 'seeker', text: 'hi' }] }, 400, 'conversation', /not a conversational \(RTA\) model/],
      [servedRta, { user: 1 }, 400, 'user', /reindex does not take "user": it has no user vectors/],
      [served, { user: 1, k: 0 }, 400, 'k', /./],
    ];
    for (const [s, body, status, field, message] of cases) {
      const { status: got, json } = await post(s, body);
      expect(got, JSON.stringify(body)).toBe(status);
      expect(json.error?.field).toBe(field);
      expect(json.error?.message).toMatch(message);
    }
    const item = await served.app.inject({ method: 'GET', url: '/v1/items/3' });
    const titles = (await recommendCli([cf, '--user', '0', '--k', '1200', '--include-seen'])).find((r) => r.id === 3)!.title;
    expect(item.json()).toEqual({ id: 3, title: titles });
  });
});

describe('lmrec serve and export: wrong input', () => {
  it('is one line naming the problem, exit 2 for the command line and 1 for the run or the target', async () => {
    const notDb = tempDir('lmrec-notdb-');
    mkdirSync(join(notDb, 'stuff'));
    delete process.env.LMREC_TEST_UNSET_URL;
    const cases: [string[], number, RegExp][] = [
      [['serve'], 2, /missing the run folder/],
      [['serve', '/nonexistent/run'], 1, /\/nonexistent\/run is not an lmrec run folder/],
      [['serve', cf, '--prt', '80'], 2, /unknown option --prt \(did you mean --port\?\)/],
      [['serve', cf, '--port', '70000'], 2, /--port must be in 0\.\.65535/],
      [['serve', cf, '--port', 'abc'], 2, /--port must be a whole number, got "abc"/],
      [['serve', cf, '--index', 'postgres://lmrec:hunter2@db:5432/x'], 2, /--index: a connection string is not accepted as a target/],
      [['serve', cf, '--index', 'env:1BAD'], 2, /--index: "1BAD" is not an environment variable name/],
      [['serve', cf, '--index', join(notDb, 'missing')], 1, /is not a vector database folder/],
      [['serve', cf, '--index', 'env:LMREC_TEST_UNSET_URL'], 1, /the environment variable LMREC_TEST_UNSET_URL is not set/],
      [['serve', cf, '--ef-search', '50'], 2, /--ef-search only goes with --index/],
      [['serve', cf, '--model', 'Nope'], 1, /no saved model "Nope"/],
      [['export', cf], 2, /--to needs a target/],
      [['export', '/nonexistent/run', '--to', join(notDb, 'db')], 1, /is not an lmrec run folder/],
      [['export', cf, '--to', notDb], 1, /is a non-empty folder that is not a vector database; refusing to write into it/],
      [['export', cf, '--to', 'postgres://lmrec:hunter2@db:5432/x'], 2, /--to: a connection string is not accepted/],
    ];
    for (const [args, code, message] of cases) {
      const { code: got, stdout, stderr } = await runMain([...args, '--quiet']);
      expect(got, `${args.join(' ')}: ${stderr}`).toBe(code);
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toMatch(message);
      expect(stderr).not.toContain('hunter2');
      expect(stderr).not.toMatch(/\n\s+at /);
      if (code === 2) expect(stderr.split('\n')[1]).toMatch(/^usage: lmrec (serve|export) /);
    }
  });

  it('a port in use is exit 1 naming it, with a hint', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const { code, stdout, stderr } = await runMain(['serve', cf, '--port', String(port), '--quiet']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(`lmrec: field "port": cannot listen on 127.0.0.1:${port}: the port is in use (hint: pick another --port (0: any free port))\n`);
    } finally {
      busy.close();
    }
  });

  it('lmrec --help lists export and serve, and each --help its flags', async () => {
    const overview = await runMain(['--help']);
    expect(overview.stdout).toMatch(/\n\s+export\s+write a run's item/);
    expect(overview.stdout).toMatch(/\n\s+serve\s+serve a saved run over HTTP/);
    const serve = await runMain(['serve', '--help']);
    for (const flag of ['--host HOST', '--port N', '--index TARGET', '--model LABEL', '--max-k K', '--ef-search N']) expect(serve.stdout).toContain(flag);
    const exp = await runMain(['export', '--help']);
    for (const flag of ['--to TARGET', '--model LABEL']) expect(exp.stdout).toContain(flag);
  });
});
