#!/usr/bin/env node
// `pnpm lmrec <command>` from the repository root: builds what is stale
// (turbo's cache makes this a fraction of a second when nothing changed),
// then runs the built CLI in the folder the command was typed in.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runner = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(runner, '..', '..');
if (!process.env.LMREC_NO_BUILD) {
  const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@lmrec/runner...', '--output-logs=errors-only'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (turbo.status !== 0) {
    process.stderr.write(`lmrec: building the workspace failed (pnpm build shows why)\n${turbo.stdout ?? ''}${turbo.stderr ?? ''}`);
    process.exit(1);
  }
}
// pnpm runs root scripts in the repository root; relative paths the user typed are relative to INIT_CWD.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import(pathToFileURL(join(runner, 'dist', 'cli.js')).href);
