import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CapturingProgress } from '@lmrec/core';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedEncoder, LexicalEncoder, decodeChunk } from '../src/index.js';
import { CONTRACT_TEXTS, textEncoderContract } from '@lmrec/testing';
import { CountingEncoder } from './helpers/counting-encoder.js';

const root = mkdtempSync(join(tmpdir(), 'lmrec-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `c${n++}`);

const lexical = () => {
  const e = new LexicalEncoder({ dim: 32 });
  e.fit(CONTRACT_TEXTS);
  return e;
};
let contractDir = '';
textEncoderContract({
  name: 'cached lexical (cold and warm)',
  create: () => new CachedEncoder(lexical(), { dir: (contractDir = freshDir()), chunkSize: 3 }),
  // a second encoder on the same cache folder: the warm read must equal the cold write
  twin: () => new CachedEncoder(lexical(), { dir: contractDir, chunkSize: 5 }),
  normalized: true,
});

const titles = (count: number, offset = 0) => Array.from({ length: count }, (_, i) => `title ${i + offset} — ${'é'.repeat((i + offset) % 4)}`);
const chunkFiles = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.chunk'));

function expectExact(rows: Float32Array[], texts: readonly string[], dim: number): void {
  expect(rows).toHaveLength(texts.length);
  texts.forEach((t, i) => expect(Array.from(rows[i])).toEqual(Array.from(CountingEncoder.embed(t, dim))));
}

describe('CachedEncoder', () => {
  it('encodes each missing distinct text once and serves the rest from disk', async () => {
    const dir = freshDir();
    const inner = new CountingEncoder();
    const cache = new CachedEncoder(inner, { dir, chunkSize: 4 });
    const first = [...titles(10), 'title 3 — ééé', 'title 0 — '];
    expectExact(await cache.encode(first), first, 24);
    expect(inner.texts).toEqual(titles(10));
    expect(cache.lastStats).toEqual({ hits: 0, encoded: 10, corruptChunks: 0 });
    expect(chunkFiles(cache.folder)).toHaveLength(3);

    // A new instance (a new process) on the same folder: only the 5 new texts are encoded.
    const inner2 = new CountingEncoder();
    const again = new CachedEncoder(inner2, { dir, chunkSize: 4 });
    const second = titles(15);
    const progress = new CapturingProgress();
    expectExact(await again.encode(second, { progress }), second, 24);
    expect(inner2.texts).toEqual(titles(5, 10));
    expect(again.lastStats).toMatchObject({ hits: 10, encoded: 5 });
    const end = progress.events.find((e) => e.type === 'end');
    expect(end).toMatchObject({ snapshot: { done: 15, total: 15, unit: 'texts', fields: { cached: 10, encoded: 5 } } });
    expect((end as { snapshot: { fields: Record<string, unknown> } }).snapshot.fields).toHaveProperty('texts/s');
    expect(JSON.parse(readFileSync(join(again.folder, 'encoder.json'), 'utf8'))).toMatchObject({ id: inner.id, dim: 24 });
  });

  it('keys on the encoder id: refitting a lexical encoder misses the old entries', async () => {
    const dir = freshDir();
    const lexical = new LexicalEncoder({ dim: 8 });
    lexical.fit(['a b', 'c']);
    const cache = new CachedEncoder(lexical, { dir });
    const before = cache.folder;
    await cache.encode(['a b']);
    lexical.fit(['a b', 'a b c', 'd']);
    expect(cache.folder).not.toBe(before);
    const [row] = await cache.encode(['a b']);
    expect(cache.lastStats).toMatchObject({ hits: 0, encoded: 1 });
    expect(Array.from(row)).toEqual(Array.from(lexical.encodeOne('a b')));
    expect(cache.key('a b')).not.toBe(new CachedEncoder(new CountingEncoder(), { dir }).key('a b'));
  });

  it('detects a damaged chunk by checksum, drops it and re-encodes its texts', async () => {
    const dir = freshDir();
    const texts = titles(9);
    const cache = new CachedEncoder(new CountingEncoder(), { dir, chunkSize: 3 });
    await cache.encode(texts);
    const [a, b] = chunkFiles(cache.folder).map((f) => join(cache.folder, f));
    const bytesA = readFileSync(a);
    bytesA[bytesA.length - 40] ^= 0x01; // one bit in the last row
    writeFileSync(a, bytesA);
    writeFileSync(b, readFileSync(b).subarray(0, 100)); // truncated
    expect(() => decodeChunk(bytesA, a)).toThrow(/checksum mismatch/);

    const inner = new CountingEncoder();
    const rerun = new CachedEncoder(inner, { dir, chunkSize: 3 });
    expectExact(await rerun.encode(texts), texts, 24);
    expect(inner.texts).toHaveLength(6);
    expect(rerun.lastStats).toMatchObject({ hits: 3, encoded: 6, corruptChunks: 1 }); // the truncated one is dropped when indexing
    expect(chunkFiles(rerun.folder)).toHaveLength(3);
    for (const f of chunkFiles(rerun.folder)) expect(() => decodeChunk(readFileSync(join(rerun.folder, f)), f)).not.toThrow();
  });

  it('removes temp files of dead writers and keeps those of live ones', async () => {
    const dir = freshDir();
    const cache = new CachedEncoder(new CountingEncoder(), { dir });
    await cache.encode(['x']);
    const dead = join(cache.folder, '.abc.chunk.tmp-999999999-00aa');
    const live = join(cache.folder, `.abc.chunk.tmp-${process.ppid}-00bb`);
    writeFileSync(dead, 'partial');
    writeFileSync(live, 'partial');
    await new CachedEncoder(new CountingEncoder(), { dir }).encode(['x']);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('resumes after SIGKILL mid-encode without re-encoding finished chunks', async () => {
    const dir = freshDir();
    const N = 400;
    const chunkSize = 16;
    const dim = 512;
    const script = fileURLToPath(new URL('./child/encode-child.ts', import.meta.url));
    const tsconfig = fileURLToPath(new URL('./child/tsconfig.json', import.meta.url));
    const probe = new CachedEncoder(new CountingEncoder(dim), { dir });
    let killedOnce = false;
    for (const killAfterChunks of [6]) {
      const log = join(dir, `log-${killAfterChunks}.txt`);
      const child = fork(script, [dir, String(N), String(chunkSize), String(dim), log], {
        execArgv: ['--conditions=source', '--import', 'tsx'],
        env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
        stdio: 'pipe',
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === 'SIGKILL' ? null : code)));
      // Kill once the child has written `killAfterChunks` more chunks, at whatever point it is.
      const startChunks = existsSync(probe.folder) ? chunkFiles(probe.folder).length : 0;
      const poll = setInterval(() => {
        if (existsSync(probe.folder) && chunkFiles(probe.folder).length >= startChunks + killAfterChunks) {
          child.kill('SIGKILL');
          clearInterval(poll);
        }
      }, 2);
      const code = await exited;
      clearInterval(poll);
      expect(code).toBeNull();
      killedOnce = true;
    }
    expect(killedOnce).toBe(true);
    // Every chunk on disk is whole (checksums verify); count the texts they hold.
    let onDisk = 0;
    for (const f of chunkFiles(probe.folder)) onDisk += decodeChunk(readFileSync(join(probe.folder, f)), f).keys.length;
    expect(onDisk).toBeGreaterThanOrEqual(6 * chunkSize);
    expect(onDisk).toBeLessThan(N);

    const inner = new CountingEncoder(dim);
    const resumed = new CachedEncoder(inner, { dir, chunkSize });
    const texts = Array.from({ length: N }, (_, i) => `movie title number ${i} (${1900 + (i % 120)})`);
    expectExact(await resumed.encode(texts), texts, dim);
    expect(inner.texts).toHaveLength(N - onDisk);
    expect(resumed.lastStats).toMatchObject({ hits: onDisk, encoded: N - onDisk, corruptChunks: 0 });
    expect(readdirSync(resumed.folder).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
