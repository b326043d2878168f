import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { MfBpr } from '../src/index.js';
import { plantedSplit } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'recsys-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = (args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', resolve(import.meta.dirname, 'fixtures/kill-child.ts'), ...args], {
    cwd: resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    // core's sources use decorators; tsx applies a tsconfig only to files it includes
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(import.meta.dirname, 'fixtures/tsconfig.json') },
  });

describe('SIGKILL mid-epoch, then resume', () => {
  it('finishes with the weights of an uninterrupted run', async () => {
    const ckpt = join(dir, 'ckpt');
    const killed = child([ckpt, '2', join(dir, 'never.json')]);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const resumed = child([ckpt, '-1', join(dir, 'resumed.json')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('epochs-run=3'); // resumed after epoch 2, not restarted

    await initBackend();
    const full = new MfBpr({ epochs: 5, batchSize: 32, lr: 1e-2, evalEvery: 2 });
    await full.fit(plantedSplit({ users: 60, items: 40 }));
    const want = Object.fromEntries(Object.entries(full.state()).map(([k, t]) => [k, Array.from(t.dataSync())]));
    expect(JSON.parse(readFileSync(join(dir, 'resumed.json'), 'utf8'))).toEqual(want);
  });
});
