/**
 * Loopback load on the HTTP API with autocannon: requests/s, p50 / p99
 * latency at concurrency 1, 16 and 64, and the server's RSS, for the
 * ML-100K catalogue (1,447 items) and a synthetic 1M-item one, exact scorer
 * (with and without batching) and pgvector HNSW index. Each configuration is
 * its own server process; the client (autocannon) shares the 2 cores.
 *   pnpm --filter @lmrec/serve bench     (run the vectors benchmark first: it builds the index folders)
 *   tsx bench/run.ts [--only ml100k|synthetic] [--backend exact|index]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { markdownTable, writeBenchSection } from '../../../scripts/bench-utils.js';
import { benchDbDir } from '../../../scripts/bench/db-paths.js';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENCY = [1, 16, 64];

interface Config {
  catalogue: 'ml100k' | 'synthetic';
  backend: 'exact' | 'index';
  batch: boolean;
  /** Requests per concurrency level (bounded), and a time cap in seconds. */
  amount: (c: number) => number;
  users: number;
}

const CONFIGS: Config[] = [
  { catalogue: 'ml100k', backend: 'exact', batch: true, amount: () => 4000, users: 938 },
  { catalogue: 'ml100k', backend: 'exact', batch: false, amount: () => 4000, users: 938 },
  { catalogue: 'ml100k', backend: 'index', batch: true, amount: () => 2000, users: 938 },
  { catalogue: 'synthetic', backend: 'exact', batch: true, amount: (c) => (c === 1 ? 60 : 400), users: 1000 },
  { catalogue: 'synthetic', backend: 'exact', batch: false, amount: (c) => (c === 1 ? 60 : 200), users: 1000 },
  { catalogue: 'synthetic', backend: 'index', batch: true, amount: () => 1000, users: 1000 },
];

function startServer(cfg: Config): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, 'server.ts'), cfg.catalogue, cfg.backend, cfg.batch ? 'batch' : 'nobatch'], { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening (\S+)/.exec(out);
      if (m) res({ child, url: m[1] });
    });
    child.once('exit', (code) => rej(new Error(`server exited ${code}`)));
  });
}

function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface Measured {
  result: autocannon.Result;
  /** Client-side latency per response, ms (autocannon's histogram keeps whole ms only). */
  latencies: number[];
  seconds: number;
}

async function load(url: string, cfg: Config, connections: number, amount: number): Promise<Measured> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  const options: autocannon.Options = {
    url: `${url}/v1/recommend`,
    connections,
    amount,
    duration: 120,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ user: next++ % cfg.users, k: 20 }) }),
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((res, rej) => {
    const instance = autocannon(options, (error, out) => (error ? rej(error) : res(out)));
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  return { result, latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - t0) / 1000 };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

const { values } = parseArgs({ options: { only: { type: 'string' }, backend: { type: 'string' } } });
const rows: Record<string, string | number>[] = [];
const startLoad = loadavg().map((x) => x.toFixed(2)).join(', ');
for (const cfg of CONFIGS) {
  if ((values.only && values.only !== cfg.catalogue) || (values.backend && values.backend !== cfg.backend)) continue;
  const label = `${cfg.catalogue === 'ml100k' ? 'ML-100K 1,447' : 'synthetic 1M'} / ${cfg.backend}${cfg.backend === 'exact' ? (cfg.batch ? ' batched' : ' unbatched') : ` (HNSW, ef ${cfg.catalogue === 'synthetic' ? 400 : 100})`}`;
  if (cfg.backend === 'index' && !existsSync(benchDbDir(cfg.catalogue))) {
    process.stderr.write(`${label}: skipped, no ${benchDbDir(cfg.catalogue)} (run the vectors benchmark first)\n`);
    rows.push({ configuration: `${label}: skipped (no index folder; run the vectors benchmark first)`, concurrency: '', requests: 0 });
    continue;
  }
  process.stderr.write(`${label}: starting the server\n`);
  const { child, url } = await startServer(cfg);
  try {
    await load(url, cfg, 4, Math.min(200, cfg.amount(16))); // warm-up (JIT, kernels, page cache)
    for (const c of CONCURRENCY) {
      const { result: r, latencies, seconds } = await load(url, cfg, c, cfg.amount(c));
      const mem = rssMiB(child.pid!);
      const row = { configuration: label, concurrency: c, requests: r.requests.total, 'req/s': latencies.length / seconds, 'p50 ms': pct(latencies, 0.5), 'p99 ms': pct(latencies, 0.99), 'non-2xx': r.non2xx + r.errors + r.timeouts, 'server RSS MiB': mem.rss, 'peak RSS MiB': mem.peak, load: loadavg()[0].toFixed(2) };
      rows.push(row);
      process.stderr.write(`  ${JSON.stringify(row)}\n`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
const body = [
  `Load average (1, 5, 15 min) at start: ${startLoad}; at end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}; the "load" column is the 1-minute average after each point. Other work shared the 2 cores.`,
  'Each request: POST /v1/recommend {"user": u, "k": 20} with u cycling over the users (known items excluded); autocannon in this process, the server in its own; bounded by a request count per point (and 120 s).',
  'Exact: core scoreTopK over [64, nItems] (batched = concurrent requests ranked in one call). Index: the vectors benchmark\'s PGlite folder, HNSW forced (plan "index"), ef_search 100 (ML-100K, recall@20 1.0) or 400 (1M, recall@20 0.90), one PGlite connection.',
  '',
  markdownTable(rows),
].join('\n');
writeBenchSection(resolve(here, 'results.md'), 'serve: HTTP load on loopback (autocannon)', `tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(), body);
