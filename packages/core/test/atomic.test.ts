import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { processAlive, writeFileAtomic, writeJsonAtomic } from '../src/index.js';
import { tempDir } from './helpers.js';

const root = tempDir();

describe('writeFileAtomic', () => {
  it('creates parent folders, writes text and bytes, leaves no temp file', async () => {
    const dir = join(root, 'a', 'b');
    await writeFileAtomic(join(dir, 'x.txt'), 'hello');
    await writeFileAtomic(join(dir, 'y.bin'), Uint8Array.from([1, 2, 255]));
    expect(readFileSync(join(dir, 'x.txt'), 'utf8')).toBe('hello');
    expect([...readFileSync(join(dir, 'y.bin'))]).toEqual([1, 2, 255]);
    expect(readdirSync(dir).sort()).toEqual(['x.txt', 'y.bin']);
  });

  it('replaces old content, and concurrent writers never leave a torn file', async () => {
    const dir = join(root, 'race');
    const path = join(dir, 'f.txt');
    await writeFileAtomic(path, 'old');
    const contents = Array.from({ length: 8 }, (_, i) => String(i).repeat(100_000 + i));
    await Promise.all(contents.map((c) => writeFileAtomic(path, c)));
    expect(contents).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it('keeps the old content and removes its temp file when the write fails', async () => {
    const dir = join(root, 'fail');
    const path = join(dir, 'keep.txt');
    await writeFileAtomic(path, 'old content');
    // not a string or bytes: the write itself throws
    await expect(writeFileAtomic(path, 42 as unknown as string)).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    // the rename fails: the target is a non-empty folder
    const target = join(dir, 'folder');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'x');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['folder', 'keep.txt']);
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('x');
  });

  it('writeJsonAtomic writes pretty JSON with a trailing newline', async () => {
    const path = join(root, 'v.json');
    await writeJsonAtomic(path, { a: [1, 2], b: 'c' });
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ a: [1, 2], b: 'c' });
  });
});

describe('processAlive', () => {
  it('is true for this process and false for one that has exited', () => {
    expect(processAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(processAlive(Number(child.stdout))).toBe(false);
  });
});
