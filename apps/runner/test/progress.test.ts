import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { TerminalProgress } from '../src/progress/terminal.js';
import { runConfig } from '../src/run/run.js';
import { tempDir } from './fixtures.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _e: string, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

describe('progress', () => {
  it('a bar that ends is full, also when the last partial batch was dropped', () => {
    const out = new Capture();
    const progress = new TerminalProgress('bars', out, 0);
    const task = progress.start('alpharec epoch 1/3', 4096, 'samples');
    task.tick(1024);
    task.tick(1024);
    task.tick(1024);
    task.end();
    const frames = out.text.split('\r\x1b[2K').filter(Boolean);
    expect(frames[frames.length - 2]).toContain(' 75% 3,072/4,096 samples');
    expect(frames[frames.length - 1]).toMatch(/\[#{24}\] 100% 3,072\/3,072 samples .*\n$/);
  });

  it('outside a TTY: one line per epoch, and a line when early stopping ends a model', async () => {
    const dir = tempDir('lmrec-progress-');
    const file = join(dir, 'es.yaml');
    // A learning rate too small to move valid recall: patience 1 stops at the second evaluation, keeping the first.
    writeFileSync(file, `name: es\nexperiment: cf\nseed: 3\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\nmodels: [{ name: mf, label: MF, options: { lr: 0.00001, dim: 8 } }]\ntrainer: { epochs: 6, batchSize: 256, evalEvery: 1, patience: 1 }\neval: { ks: [10], metric: recall@10 }\n`);
    const out = new Capture();
    await runConfig(await loadConfig(file), { output: join(dir, 'out'), progress: new TerminalProgress('lines', out), print: () => {} });
    const lines = out.text.trim().split('\n');
    expect(lines.filter((l) => /^mf epoch \d+: loss/.test(l)).map((l) => l.split(':')[0])).toEqual(['mf epoch 1', 'mf epoch 2']);
    expect(lines).toContain('MF: stopped at epoch 2, kept epoch 1');
    expect(out.text).not.toContain('[#');
    expect(lines.length).toBeLessThanOrEqual(6);
  });
});
