// Lexical encoder throughput on real titles, and the embedding cache's overhead.
// Run: pnpm --filter @lmrec/encoders bench  (writes bench/results.md)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TextEncoder } from '@lmrec/core';
import { markdownTable, peakRssMiB, writeBenchSection } from '../../../scripts/bench-utils.js';
import { gloveSection } from './glove.js';
import { ml100kTitles, redialTitles } from './titles.js';
import { CachedEncoder, LexicalEncoder, hashToken, type LexicalEncoderOptions } from '../src/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall-clock and CPU milliseconds. The dev machine is shared by
 * several engineers, so CPU time (user + system of this process) is the
 * steadier figure; wall-clock is what a user waits.
 */
async function timeIt(reps: number, fn: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);

const variants: { name: string; options: LexicalEncoderOptions }[] = [
  { name: 'default (2^18 buckets, gaussian 256)', options: {} },
  { name: 'achlioptas 256', options: { projection: 'achlioptas' } },
  { name: 'gaussian 64', options: { dim: 64 } },
  { name: 'word 1-2 only, gaussian 256', options: { charNgrams: [0, 0] } },
];

const rows: Record<string, string | number>[] = [];
const cacheRows: Record<string, string | number>[] = [];
const datasets: [string, string[] | undefined][] = [
  ['ML-100K u.item', await ml100kTitles()],
  ['ReDIAL movies_with_mentions', await redialTitles()],
];
for (const [name, titles] of datasets) {
  if (!titles) {
    console.log(`skip ${name}: ../shared/data not present`);
    continue;
  }
  for (const v of variants) {
    const enc = new LexicalEncoder(v.options);
    const fitMs = await timeIt(3, () => enc.fit(titles));
    await enc.encode(titles.slice(0, 200)); // warm the projection-row cache and the JIT
    const fresh = new LexicalEncoder(v.options);
    fresh.fit(titles);
    const coldMs = await timeIt(1, () => fresh.encode(titles));
    const warmMs = await timeIt(5, () => enc.encode(titles));
    rows.push({
      titles: name,
      n: titles.length,
      variant: v.name,
      'fit titles/s (cpu)': perSecond(titles.length, fitMs.cpu),
      'first call titles/s (cpu)': perSecond(titles.length, coldMs.cpu),
      'steady titles/s (cpu)': perSecond(titles.length, warmMs.cpu),
      'steady titles/s (wall)': perSecond(titles.length, warmMs.wall),
    });
  }

  // Cache overhead: plain encode vs cached cold (encode + checksummed atomic writes) vs cached warm (verified reads).
  const dir = mkdtempSync(join(tmpdir(), 'lmrec-cache-bench-'));
  try {
    const lexical = new LexicalEncoder();
    lexical.fit(titles);
    await lexical.encode(titles);
    const plainMs = await timeIt(3, () => lexical.encode(titles));
    const cache = new CachedEncoder(lexical, { dir, chunkSize: 1024 });
    const coldMs = await timeIt(1, () => cache.encode(titles));
    const warmNewProcessMs = await timeIt(3, () => new CachedEncoder(lexical, { dir, chunkSize: 1024 }).encode(titles));
    const bytes = readdirSync(cache.folder).reduce((n, f) => n + statSync(join(cache.folder, f)).size, 0);
    cacheRows.push({
      titles: name,
      n: titles.length,
      'plain encode ms (cpu)': Number(plainMs.cpu.toFixed(1)),
      'cached cold ms (cpu)': Number(coldMs.cpu.toFixed(1)),
      'cold overhead ms (cpu)': Number((coldMs.cpu - plainMs.cpu).toFixed(1)),
      'cached warm ms (cpu)': Number(warmNewProcessMs.cpu.toFixed(1)),
      'cached warm ms (wall)': Number(warmNewProcessMs.wall.toFixed(1)),
      'warm titles/s (cpu)': perSecond(titles.length, warmNewProcessMs.cpu),
      'cache MiB': Number((bytes / 2 ** 20).toFixed(2)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The cache at scale: 100k synthetic texts through a near-free encoder, so the numbers are the cache's own cost.
{
  const dim = 256;
  const n = 100_000;
  const texts = Array.from({ length: n }, (_, i) => `synthetic item ${i} with a title of moderate length`);
  const cheap: TextEncoder = {
    id: `bench-cheap(dim=${dim})`,
    dim,
    encode: async (batch) =>
      batch.map((t) => {
        const row = new Float32Array(dim);
        row[hashToken(t, 0) % dim] = 1;
        return row;
      }),
  };
  const dir = mkdtempSync(join(tmpdir(), 'lmrec-cache-bench-'));
  try {
    const plainMs = await timeIt(1, () => cheap.encode(texts));
    const cache = new CachedEncoder(cheap, { dir, chunkSize: 1024 });
    const coldMs = await timeIt(1, () => cache.encode(texts));
    const warmMs = await timeIt(3, () => new CachedEncoder(cheap, { dir, chunkSize: 1024 }).encode(texts));
    const bytes = readdirSync(cache.folder).reduce((acc, f) => acc + statSync(join(cache.folder, f)).size, 0);
    cacheRows.push({
      titles: '100k synthetic, near-free encoder, dim 256',
      n,
      'plain encode ms (cpu)': Number(plainMs.cpu.toFixed(1)),
      'cached cold ms (cpu)': Number(coldMs.cpu.toFixed(1)),
      'cold overhead ms (cpu)': Number((coldMs.cpu - plainMs.cpu).toFixed(1)),
      'cached warm ms (cpu)': Number(warmMs.cpu.toFixed(1)),
      'cached warm ms (wall)': Number(warmMs.wall.toFixed(1)),
      'warm titles/s (cpu)': perSecond(n, warmMs.cpu),
      'cache MiB': Number((bytes / 2 ** 20).toFixed(2)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body = [
  '### Lexical encoder throughput',
  '',
  'Single thread. "first call": a fresh fitted encoder, which also draws the projection rows of every bucket it meets (core Rng, 256 normals per bucket); "steady": median of 5 encodes once those rows are cached. cpu = user+system time of this process (the machine is shared, so wall-clock is noisy).',
  '',
  markdownTable(rows),
  '### Embedding cache overhead (lexical default, chunkSize 1024, sha256-checksummed chunks written with writeFileAtomic + fsync)',
  '',
  '"cold": encode + write every chunk; "warm": a new CachedEncoder instance (as a new process would) indexes the folder and reads verified chunks, no encoding.',
  '',
  markdownTable(cacheRows),
  `Peak RSS: ${peakRssMiB().toFixed(0)} MiB`,
  '',
  await gloveSection(),
].join('\n');
writeBenchSection(new URL('./results.md', import.meta.url).pathname, '@lmrec/encoders', 'pnpm --filter @lmrec/encoders bench', body);
console.log(body);
