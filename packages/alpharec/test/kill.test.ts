import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '@lmrec/core';
import { AlphaRec } from '../src/index.js';
import { plantedDataset } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'alpharec-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const child = (args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', resolve(import.meta.dirname, 'fixtures/kill-child.ts'), ...args], {
    cwd: resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    // core's sources use decorators; tsx applies a tsconfig only to files it includes
    env: { ...process.env, TSX_TSCONFIG_PATH: resolve(import.meta.dirname, 'fixtures/tsconfig.json') },
  });

describe('AlphaRec: SIGKILL mid-epoch, then resume', () => {
  it('finishes with the weights and log of an uninterrupted run', async () => {
    const ckpt = join(dir, 'ckpt');
    const killed = child([ckpt, '2', join(dir, 'never.json')]);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const resumed = child([ckpt, '-1', join(dir, 'resumed.json')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('epochs-run=2'); // resumed after epoch 2, not restarted

    await initBackend({ prefer: 'wasm' });
    const data = plantedDataset(1);
    const full = new AlphaRec({ itemEmbeddings: { dim: data.dim, data: data.items }, hidden: 16, negatives: 8, batchSize: 64, epochs: 4, evalEvery: 2, lr: 3e-3 });
    const r = await full.fit(data.split, { seed: 5 });
    const want = { weights: Object.fromEntries(Object.entries(full.net!.state()).map(([k, t]) => [k, Array.from(t.dataSync())])), log: r.log.map((l) => [l.loss, l.valid]) };
    expect(JSON.parse(readFileSync(join(dir, 'resumed.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(want)));
    full.dispose();
  });
});
