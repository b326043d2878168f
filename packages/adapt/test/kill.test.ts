import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { loadBundledRedial } from '@lmrec/datasets';
import { runRtaComparison } from '../src/index.js';
import { ABORTED_ROW, smallComparison } from './fixtures/small-comparison.js';
import { withoutTimes } from './step-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'adapt-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = (args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', resolve(import.meta.dirname, 'fixtures/comparison-child.ts'), ...args], {
    cwd: resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    // core's sources use decorators; tsx applies a tsconfig only to files it includes
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(import.meta.dirname, 'fixtures/tsconfig.json') },
  });

describe('RTA comparison: SIGKILL mid-row, then resume', () => {
  it('reuses the finished rows, resumes the killed row from its checkpoint and equals an uninterrupted run', async () => {
    const cache = join(dir, 'cache');
    const killed = child([cache, ABORTED_ROW, join(dir, 'never.json')]);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const resumed = child([cache, '-', join(dir, 'resumed.json')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const got = JSON.parse(readFileSync(join(dir, 'resumed.json'), 'utf8'));
    expect(got.hits).toEqual(['Popularity', 'FISM', 'reindex-training', 'Reindex']);
    expect(got.runs[0]).toBe(ABORTED_ROW);

    await initBackend();
    const want = await runRtaComparison(await loadBundledRedial(), smallComparison());
    expect(withoutTimes(got.result)).toEqual(withoutTimes(want));
  });
});
