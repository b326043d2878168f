import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { runCli, runMain, spawnCli } from './cli.js';
import { tempDir, writePlantedAlphaRecDir } from './fixtures.js';

describe('the CLI as people expect it', () => {
  it('every command has --help listing each of its options', async () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const { code, stdout } = await runMain([name, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`lmrec ${name}: ${command.summary}`);
      for (const flag of Object.keys(command.flags)) expect(stdout, `${name} --${flag}`).toContain(`--${flag}`);
    }
    expect((await runMain(['help', 'recommend'])).stdout).toContain('--include-seen');
    expect((await runMain(['--help'])).stdout).toContain('Exit codes: 0 ok, 1 a config, data or run error, 2 a usage error, 3 an internal error');
  });

  it('usage errors: one line, the usage, exit 2; no stack trace unless --debug', async () => {
    const unknown = await runMain(['runn', 'x.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('lmrec: unknown command "runn" (did you mean "run"?)');
    expect((await runMain([])).code).toBe(2);
    const missing = await runMain(['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^lmrec run: missing the config file\nusage: lmrec run <config\.yaml>/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const debug = await runMain(['run', '--debug']);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('an LmrecError is one line naming the file, exit 1', async () => {
    const dir = tempDir('lmrec-cli-');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: b\nexperiment: cf\ndataset: { loader: redial-sample }\nmodels: [{ name: mf, options: { lr: fast } }]\n');
    const { code, stdout, stderr } = await runMain(['run', file, '--quiet']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^lmrec: ${file}, line 4, field "models\\.0\\.options\\.lr": `))]);
    const missing = await runMain(['run', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read config: no such file/);
  });

  it('a non-UTF-8 config is an error naming the file and line, not replacement characters', async () => {
    const dir = tempDir('lmrec-utf8-');
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('name: x\nexperiment: cf\ndescription: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const { code, stderr } = await runMain(['run', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}, line 3: the config is not valid UTF-8`);
    const texts = join(dir, 'texts.txt');
    writeFileSync(texts, Buffer.concat([Buffer.from('ok\nna'), Buffer.from([0xef, 0xbb]), Buffer.from('ve\n')]));
    const encode = await runMain(['encode', '--input', texts, '--output', join(dir, 'v.npy'), '--quiet']);
    expect(encode.code).toBe(1);
    expect(encode.stderr).toContain(`${texts}, line 2: invalid UTF-8 bytes`);
  });

  it('--dry-run checks the config against every plugin and prints the plan without running', async () => {
    const dir = tempDir('lmrec-dry-');
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'name: d\nexperiment: cf\ndataset: { loader: redial-sample, split: { kind: ratio } }\nmodels: [{ name: mf, label: MF }, { name: popularity }]\n');
    const { code, stdout } = await runMain(['run', file, '--dry-run', '--output', join(dir, 'out')]);
    expect(code).toBe(0);
    expect(stdout).toContain('rows: MF, popularity');
  });

  it('pnpm lmrec from the repository root runs the CLI (root script; the README says so)', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.lmrec).toBe('node apps/runner/scripts/lmrec.mjs');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('pnpm lmrec');
    const runner = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect(runner.bin).toEqual({ lmrec: './dist/cli.js' });
    expect(readFileSync(join(import.meta.dirname, '..', 'src', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it("never prints tfjs' Node.js banner", async () => {
    // A child process training on the cpu backend: the banner's first-use path.
    const dir = tempDir('lmrec-banner-');
    const file = join(dir, 'mf.yaml');
    writeFileSync(file, `name: b\nexperiment: cf\ndataset: { loader: alpharec, options: { dir: ${writePlantedAlphaRecDir(9)} } }\nmodels: [{ name: mf, options: { dim: 4 } }]\ntrainer: { epochs: 1, batchSize: 256 }\neval: { ks: [5] }\n`);
    const { code, stderr } = await runCli(['run', file, '--output', join(dir, 'out')]);
    expect(code).toBe(0);
    expect(stderr).toContain('mf epoch 1:');
    expect(stderr).not.toContain('Hi, looks like you are running TensorFlow.js in Node.js');
  });

  it('a reader that closes stdout early (`| head`) ends the CLI quietly, exit 0, no EPIPE trace', async () => {
    const child = spawnCli(['--help']);
    child.stdout!.destroy(); // closed before the child writes a byte
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(code).toBe(0);
  });
});
