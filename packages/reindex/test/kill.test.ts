import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';

const dir = mkdtempSync(join(tmpdir(), 'reindex-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = (args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', resolve(import.meta.dirname, 'fixtures/train-child.ts'), ...args], {
    cwd: resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    // core's sources use decorators; tsx applies a tsconfig only to files it includes
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(import.meta.dirname, 'fixtures/tsconfig.json') },
  });

describe('reindex training: SIGKILL mid-epoch, then resume', () => {
  it('finishes with the aggregator weights and epoch log of an uninterrupted run (trm: dropout stream included)', async () => {
    const ckpt = join(dir, 'ckpt');
    const killed = child([ckpt, '2', join(dir, 'never.json')]);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(existsSync(join(ckpt, 'latest.json'))).toBe(true);
    const resumed = child([ckpt, '-1', join(dir, 'resumed.json')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    await initBackend();
    const { run } = await import('./fixtures/train-run.js');
    const want = await run();
    expect(JSON.parse(readFileSync(join(dir, 'resumed.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(want)));
  });
});
