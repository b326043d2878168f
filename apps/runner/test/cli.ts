import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main.js';

const RUNNER = join(import.meta.dirname, '..');

/** The real CLI from source in a child process (tsx, workspace sources). */
export function spawnCli(args: string[], cwd = RUNNER): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(RUNNER, 'src', 'cli.ts'), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LMREC_BACKEND: 'cpu' },
  });
}

export function runCli(args: string[], cwd = RUNNER): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** The CLI in this process (fast): the same `main` the bin runs, its output captured. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
