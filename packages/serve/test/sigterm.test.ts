import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exactService } from '../src/index.js';
import { randomModel } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buf = '';
  stream.on('data', (d) => {
    buf += String(d);
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('SIGTERM', () => {
  it('stops accepting, finishes the requests in flight, exits 0', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, 'fixtures', 'server-child.ts')], { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: string[] = [];
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const waitFor = (line: string) =>
      new Promise<void>((resolve, reject) => {
        if (seen.some((l) => l.startsWith(line))) return resolve();
        const t = setInterval(() => {
          if (seen.some((l) => l.startsWith(line))) {
            clearInterval(t);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(t);
            reject(new Error(`child exited before "${line}": ${stderr}`));
          }
        }, 10);
      });
    lines(child.stdout!, (l) => seen.push(l));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await waitFor('listening');
      const url = seen.find((l) => l.startsWith('listening'))!.split(' ')[1];
      const port = Number(new URL(url).port);
      const inFlight = [1, 2, 3].map((u) => fetch(`${url}/v1/recommend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: u, k: 5 }) }));
      await new Promise((r) => setTimeout(r, 200)); // the requests are being served (600 ms each)
      child.kill('SIGTERM');
      await waitFor('signal');
      await new Promise((r) => setTimeout(r, 50));
      expect(await refused(port)).toBe(true);
      expect(seen).not.toContain('closed'); // still finishing the requests in flight
      const responses = await Promise.all(inFlight);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      const expected = exactService(randomModel(2, 10, 100, 8));
      for (const [i, r] of responses.entries()) expect(await r.json()).toEqual(await expected.recommend({ user: i + 1, k: 5, exclude: [], includeSeen: false, excludeMentioned: false }));
      expect(await exit).toBe(0);
      expect(seen).toContain('closed');
    } finally {
      clearTimeout(watchdog);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
