import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@lmrec/core';
import { DownloadCache, extractZip, crc32, loadMovieLens } from '../src/index.js';
import { caught, tempDir } from './helpers.js';
import { makeZip } from './zipwriter.js';
import { randomMovieLens } from './fixtures.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// Random (incompressible) payload so truncation points land inside data.
const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => new Rng(9).fork(i).nextUint32() & 0xff));
const ml = randomMovieLens(4, 20, 30, 10, false);
const zip = makeZip([
  { name: 'ml-100k/', data: '', store: true },
  { name: 'ml-100k/u.data', data: ml.ratings.map((r) => `${r.user}\t${r.movie}\t${r.rating}\t${r.ts}`).join('\n') + '\n' },
  {
    name: 'ml-100k/u.item',
    data: ml.movies.map((m) => `${m.id}|${m.title.replace(/é/g, 'e')}|01-Jan-1995||x|${'0|'.repeat(18)}0`).join('\n') + '\n',
    store: true,
  },
]);

let server: Server;
let base = '';
const hits: Record<string, number> = {};
let mode: 'ok' | 'truncate' | 'corrupt' = 'ok';
const honourRange = true;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits[path] = (hits[path] ?? 0) + 1;
    const body = path.endsWith('.zip') ? zip : path === '/blob.bin' ? payload : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    if (range && honourRange) {
      const start = Number(range[1]);
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': body.length });
    if (mode === 'truncate') {
      res.write(body.subarray(0, 70_000));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (mode === 'corrupt') {
      const bad = Buffer.from(body);
      bad[1234] ^= 0xff;
      res.end(bad);
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('6789'), crc32(Buffer.from('12345')))).toBe(0xcbf43926);
  });
});

describe('DownloadCache', () => {
  it('downloads once, verifies sha256 and serves later calls from the cache', async () => {
    const dir = tempDir();
    mode = 'ok';
    const cache = new DownloadCache({ dir });
    const path = await cache.file({ url: `${base}/blob.bin`, sha256: sha(payload) });
    expect(sha(readFileSync(path))).toBe(sha(payload));
    const before = hits['/blob.bin'];
    await cache.file({ url: `${base}/blob.bin`, sha256: sha(payload) });
    expect(hits['/blob.bin']).toBe(before);
    const offline = new DownloadCache({ dir, allowNetwork: false });
    expect(await offline.file({ url: `${base}/blob.bin` })).toBe(path);
    expect((await caught(() => offline.file({ url: `${base}/other.bin` }))).code).toBe('E_OFFLINE');
  });

  it('a truncated download leaves no cache entry, and the next call resumes', async () => {
    const dir = tempDir();
    const cache = new DownloadCache({ dir });
    mode = 'truncate';
    const e = await caught(() => cache.file({ url: `${base}/blob.bin`, sha256: sha(payload) }));
    expect(e.code).toBe('E_NETWORK');
    expect(existsSync(join(dir, 'blob.bin'))).toBe(false);
    expect(readFileSync(join(dir, 'blob.bin.partial')).length).toBe(70_000);
    mode = 'ok';
    const path = await cache.file({ url: `${base}/blob.bin`, sha256: sha(payload) });
    expect(sha(readFileSync(path))).toBe(sha(payload));
    expect(readdirSync(dir).sort()).toEqual(['blob.bin']);
  });

  it('wrong bytes are rejected and removed; without a pinned hash the first one is recorded', async () => {
    const dir = tempDir();
    const cache = new DownloadCache({ dir });
    mode = 'corrupt';
    const e = await caught(() => cache.file({ url: `${base}/blob.bin`, sha256: sha(payload) }));
    expect(e.code).toBe('E_CHECKSUM');
    expect(readdirSync(dir)).toEqual([]);
    mode = 'ok';
    const path = await cache.file({ url: `${base}/blob.bin` });
    expect(readFileSync(`${path}.sha256`, 'utf8').trim()).toBe(sha(payload));
    writeFileSync(path, 'tampered');
    mode = 'corrupt';
    const e2 = await caught(() => cache.file({ url: `${base}/blob.bin` }));
    expect(e2.code).toBe('E_CHECKSUM');
    expect(existsSync(path)).toBe(false);
    mode = 'ok';
  });

  it('fetches and extracts a MovieLens zip that loadMovieLens reads', async () => {
    const dir = tempDir();
    const cache = new DownloadCache({ dir });
    const folder = await cache.dataset('ml-100k', { url: `${base}/ml-100k.zip` });
    const ds = await loadMovieLens({ dir: folder });
    expect(ds.stats().interactions).toBe(ml.ratings.length);
    const n = hits['/ml-100k.zip'];
    expect(await cache.dataset('ml-100k', { url: `${base}/ml-100k.zip` })).toBe(folder);
    expect(hits['/ml-100k.zip']).toBe(n);
  });
});

describe('extractZip', () => {
  it('checks CRCs and leaves nothing behind on a damaged archive', async () => {
    const dir = tempDir();
    const good = join(dir, 'a.zip');
    writeFileSync(good, makeZip([{ name: 'x/a.txt', data: 'hello '.repeat(1000) }, { name: 'x/b.bin', data: payload.subarray(0, 5000), store: true }]));
    expect(await extractZip(good, join(dir, 'out'))).toEqual(['x/a.txt', 'x/b.bin']);
    expect(readFileSync(join(dir, 'out/x/a.txt'), 'utf8')).toBe('hello '.repeat(1000));
    const bytes = makeZip([{ name: 'x/b.bin', data: payload.subarray(0, 5000), store: true }]);
    bytes[30 + 7 + 100] ^= 1;
    writeFileSync(join(dir, 'bad.zip'), bytes);
    const e = await caught(() => extractZip(join(dir, 'bad.zip'), join(dir, 'out2')));
    expect(e.code).toBe('E_ZIP');
    expect(readdirSync(dir).sort()).toEqual(['a.zip', 'bad.zip', 'out']);
    writeFileSync(join(dir, 'cut.zip'), bytes.subarray(0, 3000));
    expect((await caught(() => extractZip(join(dir, 'cut.zip'), join(dir, 'out3')))).code).toBe('E_ZIP');
    writeFileSync(join(dir, 'slip.zip'), makeZip([{ name: '../evil.txt', data: 'x' }]));
    expect((await caught(() => extractZip(join(dir, 'slip.zip'), join(dir, 'out4')))).message).toMatch(/unsafe/);
  });
});
