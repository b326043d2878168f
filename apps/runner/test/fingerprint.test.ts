import { createHash } from 'node:crypto';
import { promises, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Fingerprints } from '../src/steps/fingerprint.js';
import { tempDir } from './fixtures.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function folder(): string {
  const dir = tempDir('lmrec-fp-');
  writeFileSync(join(dir, 'a.txt'), 'alpha');
  writeFileSync(join(dir, 'b.tmp'), 'scratch');
  return dir;
}

/** fs.promises.stat failing with `code` for paths ending in `suffix`, as when another process removes or locks a file. */
function failStat(suffix: string, code: string): void {
  const stat = promises.stat.bind(promises);
  vi.spyOn(promises, 'stat').mockImplementation(async (path, ...rest) => {
    if (String(path).endsWith(suffix)) throw Object.assign(new Error(`${code}: ${String(path)}`), { code });
    return stat(path, ...(rest as []));
  });
}

afterEach(() => vi.restoreAllMocks());

describe('Fingerprints of an input folder', () => {
  it('hashes every file under it', async () => {
    const fp = await new Fingerprints().of(folder());
    expect(fp).toMatchObject({ kind: 'folder', files: { 'a.txt': { size: 5, sha256: sha('alpha') }, 'b.tmp': { size: 7, sha256: sha('scratch') } } });
  });

  it('leaves out a file another process removes between the listing and the hashing', async () => {
    const dir = folder();
    failStat('b.tmp', 'ENOENT');
    const fp = await new Fingerprints().of(dir);
    expect(fp).toEqual({ kind: 'folder', name: expect.any(String), files: { 'a.txt': { size: 5, sha256: sha('alpha') } } });
  });

  it('a file it cannot read is an E_IO error naming the file and the folder, not an internal error', async () => {
    const dir = folder();
    failStat('a.txt', 'EACCES');
    await expect(new Fingerprints().of(dir)).rejects.toMatchObject({
      code: 'E_IO',
      file: join(dir, 'a.txt'),
      message: expect.stringContaining(`to fingerprint the input folder ${dir}: EACCES`),
    });
  });
});
