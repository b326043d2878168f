import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip, listZip } from '../src/index.js';
import { caught, tempDir } from './helpers.js';
import { makeZip } from './zipwriter.js';

// Crafted archives that try to write outside the target folder. After each,
// nothing may exist outside it (the parent folder holds only the archive)
// and the target itself is not created.
describe('zip extraction stays inside its target folder', () => {
  const root = tempDir('lmrec-zipslip-');
  let n = 0;

  async function refuse(entries: Parameters<typeof makeZip>[0], message: RegExp): Promise<void> {
    const dir = join(root, `case${n++}`);
    const outside = join(root, `outside${n}`);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(outside);
    const zip = join(dir, 'a.zip');
    writeFileSync(zip, makeZip(entries.map((e) => ({ ...e, name: e.name.replace('OUTSIDE', outside) }))));
    const error = await caught(() => extractZip(zip, join(dir, 'sub', 'out')));
    expect(error.code).toBe('E_ZIP');
    expect(error.message).toMatch(message);
    expect(error.file).toBe(zip);
    expect(readdirSync(dir).sort()).toEqual(['a.zip', 'sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]); // no target, no temporary sibling left
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(root, 'evil.txt'))).toBe(false);
  }

  it('refuses ".." segments, plain or hidden inside a path', async () => {
    await refuse([{ name: '../evil.txt', data: 'x' }], /unsafe entry name "\.\.\/evil\.txt"/);
    await refuse([{ name: 'ok.txt', data: 'fine' }, { name: 'a/b/../../../evil.txt', data: 'x' }], /unsafe entry name/);
    await refuse([{ name: '../../../../../../../../../../../../tmp/evil.txt', data: 'x' }], /unsafe entry name/);
  });

  it('refuses absolute paths: POSIX, a drive letter, UNC, and a path to a real folder outside', async () => {
    await refuse([{ name: 'OUTSIDE/evil.txt', data: 'x' }], /unsafe entry name/);
    await refuse([{ name: 'C:/evil.txt', data: 'x' }], /unsafe entry name/);
    await refuse([{ name: 'C:evil.txt', data: 'x' }], /unsafe entry name/);
    await refuse([{ name: '\\\\server\\share\\evil.txt', data: 'x' }], /unsafe entry name/);
  });

  it('takes backslashes as separators, so "..\\\\" is refused too', async () => {
    await refuse([{ name: '..\\evil.txt', data: 'x' }], /unsafe entry name/);
    await refuse([{ name: 'a\\..\\..\\evil.txt', data: 'x' }], /unsafe entry name/);
  });

  it('refuses symbolic links, so a later entry cannot write through one', async () => {
    await refuse([{ name: 'link', data: 'OUTSIDE', mode: 0o120777, store: true }, { name: 'link/evil.txt', data: 'x' }], /"link" is a symbolic link/);
    await refuse([{ name: 'fifo', data: '', mode: 0o010644, store: true }], /not a regular file or folder/);
  });

  it('refuses a repeated entry instead of overwriting the first', async () => {
    await refuse([{ name: 'a.txt', data: 'first' }, { name: 'a.txt', data: 'second' }], /"a\.txt" appears twice/);
  });

  it('still extracts ordinary archives: nested folders, "./" prefixes, Unix modes of files and folders', async () => {
    const dir = join(root, 'good');
    mkdirSync(dir);
    const zip = join(dir, 'g.zip');
    writeFileSync(
      zip,
      makeZip([
        { name: './', data: '', mode: 0o040755, store: true },
        { name: 'ml/', data: '', mode: 0o040755, store: true },
        { name: 'ml/u.data', data: '1\t2\t3\t4\n', mode: 0o100644 },
        { name: './ml/README', data: 'hello', store: true },
      ]),
    );
    expect((await listZip(zip)).map((e) => e.unixMode)).toEqual([0o040755, 0o040755, 0o100644, undefined]);
    expect(await extractZip(zip, join(dir, 'out'))).toEqual(['ml/u.data', 'ml/README']);
    expect(readFileSync(join(dir, 'out', 'ml', 'u.data'), 'utf8')).toBe('1\t2\t3\t4\n');
    expect(readFileSync(join(dir, 'out', 'ml', 'README'), 'utf8')).toBe('hello');
    expect(readdirSync(dir).sort()).toEqual(['g.zip', 'out']);
  });
});
