/**
 * pgvector in PGlite: export time (rows + HNSW build), recall@20 of the HNSW
 * index against the exact top-20 (seen items excluded on both sides) and
 * per-query latency, on ML-100K and on a synthetic 1M-item catalogue.
 *   pnpm --filter @lmrec/vectors bench            (both; the 1M build takes a while)
 *   tsx bench/run.ts --only ml100k | --only synthetic [--items 200000]
 * The databases stay in $TMPDIR/lmrec-bench/ for the serve benchmark.
 */
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scoreTopK, type ProgressReporter } from '@lmrec/core';
import { parseTarget, VectorStore } from '../src/index.js';
import { markdownTable, peakRssMiB, writeBenchSection } from '../../../scripts/bench-utils.js';
import { ml100k, synthetic, type Catalogue } from '../../../scripts/bench/catalogues.js';
import { benchDbDir } from '../../../scripts/bench/db-paths.js';

const K = 20;
const N_QUERIES = 200;
const EF = [40, 100, 200, 400];


function timing(): { progress: ProgressReporter; spans: Record<string, number> } {
  const spans: Record<string, number> = {};
  return {
    spans,
    progress: {
      start: (name) => {
        const t0 = performance.now();
        process.stderr.write(`  ${name}...\n`);
        return { tick() {}, set() {}, end: () => (spans[name] = (performance.now() - t0) / 1000) };
      },
    },
  };
}

async function bench(cat: Catalogue, slug: string): Promise<{ export: Record<string, string | number>; rows: Record<string, string | number>[] }> {
  const dir = benchDbDir(slug);
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.lmrec-lock`, { force: true });
  const store = await VectorStore.open(parseTarget(dir));
  const { progress, spans } = timing();
  const t0 = performance.now();
  await store.exportRun({ runKey: slug, model: 'bench', score: 'dot', dim: cat.dim, nItems: cat.nItems, itemsT: cat.itemsT, titles: cat.titles, users: cat.users, seen: cat.seen, metadata: { catalogue: cat.source }, progress, hnsw: { maintenanceWorkMem: '1GB' } });
  const total = (performance.now() - t0) / 1000;
  const sizeMiB = Number(execSync(`du -sb ${dir}`).toString().split('\t')[0]) / 2 ** 20;
  const exp = { catalogue: cat.name, items: cat.nItems, 'insert s': spans['export items'], 'HNSW build s': spans['build HNSW index'], 'users s': spans['export users'] ?? 0, 'total s': total, 'folder MiB': sizeMiB };

  const queryUsers = Array.from({ length: Math.min(N_QUERIES, cat.nUsers) }, (_, i) => Math.floor((i * cat.nUsers) / Math.min(N_QUERIES, cat.nUsers)));
  const users = new Float32Array(queryUsers.length * cat.dim);
  queryUsers.forEach((u, r) => users.set(cat.users.subarray(u * cat.dim, (u + 1) * cat.dim), r * cat.dim));
  const exact = scoreTopK({ users, itemsT: cat.itemsT, dim: cat.dim, nItems: cat.nItems, k: K, exclude: cat.seen, rowIds: Int32Array.from(queryUsers) });
  const rows: Record<string, string | number>[] = [];
  for (const exactScan of [true, false]) {
    for (const ef of exactScan ? [0] : EF) {
      const lat: number[] = [];
      let hits = 0;
      for (const [r, u] of queryUsers.entries()) {
        const q = users.subarray(r * cat.dim, (r + 1) * cat.dim);
        const t = performance.now();
        const got = await store.nearest(slug, q, { k: K, exclude: cat.seen.row(u), efSearch: ef || undefined, plan: exactScan ? 'exact' : 'index' });
        lat.push(performance.now() - t);
        const want = new Set(exact.ids.subarray(r * K, (r + 1) * K));
        hits += got.filter((g) => want.has(g.id)).length;
      }
      lat.sort((a, b) => a - b);
      rows.push({ catalogue: cat.name, query: exactScan ? 'exact scan (SQL, no index)' : `HNSW index (forced), ef_search=${ef}`, 'recall@20': hits / (K * queryUsers.length), 'p50 ms': lat[Math.floor(lat.length / 2)], 'p99 ms': lat[Math.floor(lat.length * 0.99)] });
      process.stderr.write(`  ${JSON.stringify(rows.at(-1))}\n`);
    }
  }
  await store.close();
  return { export: exp, rows };
}

const { values } = parseArgs({ options: { only: { type: 'string' }, items: { type: 'string', default: '1000000' } } });
const load = loadavg().map((x) => x.toFixed(2)).join(', ');
const exports: Record<string, string | number>[] = [];
const rows: Record<string, string | number>[] = [];
for (const [slug, make] of [['ml100k', ml100k], ['synthetic', () => synthetic(Number(values.items))]] as const) {
  if (values.only && values.only !== slug) continue;
  process.stderr.write(`${slug}: building the catalogue\n`);
  const cat = make();
  const out = await bench(cat, slug);
  exports.push(out.export);
  rows.push(...out.rows);
}
const body = [
  `Load average at start: ${load}; at end: ${loadavg().map((x) => x.toFixed(2)).join(', ')}. Peak RSS ${peakRssMiB().toFixed(0)} MiB (this process: the catalogue, PGlite's wasm heap).`,
  `PGlite ${'0.5.14'} (PostgreSQL 18, pgvector 0.8.7, wasm32, one process); HNSW m = 16, ef_construction = 64, vector_ip_ops (dot-product models), maintenance_work_mem = 1GB.`,
  `Queries: ${N_QUERIES} users per catalogue, k = ${K}, their seen items excluded in SQL (iterative scan); recall = |index top-20 ∩ exact top-20| / 20 against core's scoreTopK.`,
  '',
  '### Export (one transaction: rows, index, users)',
  markdownTable(exports),
  '### Recall and latency per query',
  markdownTable(rows),
].join('\n');
writeBenchSection(resolve(import.meta.dirname, 'results.md'), 'vectors: pgvector (PGlite) export, recall@20 and latency', `tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(), body);
