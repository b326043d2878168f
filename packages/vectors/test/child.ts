import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The export fixture as a real child process (TypeScript through tsx, workspace sources). */
export function exportChild(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, 'fixtures', 'export-child.ts'), ...args], {
    cwd: join(here, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves when a stdout line matches, rejects when the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const onData = (d: Buffer) => {
      buffer += String(d);
      const line = buffer.split('\n').find((l) => pattern.test(l));
      if (line) {
        child.stdout!.off('data', onData);
        resolve(line);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before ${pattern}: ${stderr.slice(-2000)}`)));
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
