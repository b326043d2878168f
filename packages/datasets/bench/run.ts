/**
 * Datasets benchmark: `pnpm --filter @lmrec/datasets bench`.
 * 1. A generated ML-20M-sized ratings.csv (20,000,263 lines, the ML-20M
 *    count) loaded in a fresh process: time and peak RSS.
 * 2. ../shared/data/ml-100k loaded, thresholded, k-cored and split.
 * 3. ../shared/data/redial loaded with its RTA example counts.
 * Writes bench/results.md.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@lmrec/core';
import { implicitFeedback, kCore, likedInteractions, loadMovieLens, loadRedial, randomSplit, temporalSplit, leaveOneOutSplit, toCrsExamples } from '../src/index.js';
import { markdownTable, sharedData, writeBenchSection } from '../../../scripts/bench-utils.js';

const here = import.meta.dirname;
const LINES = Number(process.env.BENCH_LINES ?? 20_000_263);
const USERS = 138_493;
const MOVIES = 27_278;

async function generate(dir: string): Promise<number> {
  const rng = new Rng(20);
  const movies = createWriteStream(join(dir, 'movies.csv'));
  movies.write('movieId,title,genres\n');
  for (let m = 1; m <= MOVIES; m++) movies.write(m % 9 === 0 ? `${m},"Movie ${m}, The (${1900 + (m % 120)})",Drama|Comedy\n` : `${m},Movie ${m} (${1900 + (m % 120)}),Action\n`);
  movies.end();
  await once(movies, 'finish');
  const out = createWriteStream(join(dir, 'ratings.csv'), { highWaterMark: 1 << 22 });
  out.write('userId,movieId,rating,timestamp\n');
  let written = 0;
  let ts = 1_000_000_000;
  const perUser = Math.floor(LINES / USERS);
  let extra = LINES - perUser * USERS;
  const halves = ['0.5', '1.0', '1.5', '2.0', '2.5', '3.0', '3.5', '4.0', '4.5', '5.0'];
  for (let u = 1; u <= USERS; u++) {
    const n = perUser + (extra-- > 0 ? 1 : 0);
    const items = rng.sampleWithoutReplacement(MOVIES, n);
    let chunk = '';
    for (let k = 0; k < n; k++) chunk += `${u},${items[k] + 1},${halves[rng.int(10)]},${(ts += rng.int(60))}\n`;
    written += n;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

const sections: string[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'lmrec-bench-ml20m-'));
try {
  const g0 = performance.now();
  const lines = await generate(tmp);
  const genSec = (performance.now() - g0) / 1000;
  const bytes = statSync(join(tmp, 'ratings.csv')).size;
  const child = spawnSync(process.execPath, [...process.execArgv, join(here, 'load-child.ts'), tmp], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`load child failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
  sections.push(
    `### ML-20M-sized load (generated ratings.csv + movies.csv)\n\n` +
      markdownTable([
        {
          'rating lines': lines,
          'file MiB': bytes / 2 ** 20,
          users: r.users,
          items: r.items,
          'load s (wall)': r.ms / 1000,
          'load s (CPU)': r.cpuMs / 1000,
          'lines/s (M)': lines / (r.ms / 1000) / 1e6,
          'peak RSS MiB': r.peakRss,
          'RSS before load MiB': r.baseline,
          'CSR MiB (indptr+indices)': r.csrBytes / 2 ** 20,
          'dataset MiB (+ratings f32, timestamps f64)': r.allBytes / 2 ** 20,
          'peak / dataset': (r.peakRss - r.baseline) / (r.allBytes / 2 ** 20),
        },
      ]) +
      `\nGeneration of the file (not part of the load) took ${genSec.toFixed(1)} s. Peak RSS is VmHWM of a fresh process doing only the load` +
      ` (its baseline includes tfjs, which @lmrec/core imports). The ratings file is scanned from bytes (no string or object per line).` +
      ` Load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' / ')} on ${(await import('node:os')).cpus().length} cores shared with other jobs, so times are upper bounds.\n`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const ml100k = sharedData('ml-100k');
if (ml100k) {
  const t0 = performance.now();
  const raw = await loadMovieLens({ dir: ml100k });
  const tLoad = performance.now() - t0;
  const t1 = performance.now();
  const implicit = kCore(implicitFeedback(raw, 4), { user: 5, item: 1 });
  const tFilter = performance.now() - t1;
  const t2 = performance.now();
  const split = randomSplit(implicit, { seed: 2024 });
  const tSplit = performance.now() - t2;
  const loo = leaveOneOutSplit(implicit);
  const temporal = temporalSplit(implicit, { ratios: [0.8, 0.1, 0.1] });
  const row = (name: string, d: typeof raw) => {
    const s = d.stats();
    return { dataset: name, users: s.users, items: s.items, interactions: s.interactions, density: s.density, 'user deg median': s.userDegree.median, 'user deg p90': s.userDegree.p90, 'item deg median': s.itemDegree.median, 'item deg max': s.itemDegree.max };
  };
  sections.push(
    `### ../shared/data/ml-100k\n\n` +
      markdownTable([row('raw (u.data)', raw), row('rating >= 4, users >= 5', implicit)]) +
      '\n' +
      markdownTable([
        { step: 'load u.data + u.item', ms: tLoad },
        { step: 'threshold 4 + 5-core (users)', ms: tFilter },
        { step: 'random 80/10/10 split (seed 2024)', ms: tSplit },
      ]) +
      '\n' +
      markdownTable([
        { split: 'random 80/10/10 seed 2024', train: split.train.nnz, valid: split.valid.nnz, test: split.test.nnz },
        { split: 'leave-one-out by time', train: loo.train.nnz, valid: loo.valid.nnz, test: loo.test.nnz },
        { split: `global temporal (t1=${temporal.t1}, t2=${temporal.t2})`, train: temporal.train.nnz, valid: temporal.valid.nnz, test: temporal.test.nnz },
      ]) +
      `\nThe random split reproduces ../shared/data/ml100k-cf's counts (938 users, 1,447 items, 45,057 / 5,152 / 5,152).\n`,
  );
} else sections.push('### ml-100k\n\nskipped: ../shared/data/ml-100k not found\n');

const redial = sharedData('redial');
if (redial) {
  const t0 = performance.now();
  const ds = await loadRedial({ movies: join(redial, 'movies_with_mentions.csv'), train: join(redial, 'extra_train.jsonl'), valid: join(redial, 'extra_valid.jsonl'), test: join(redial, 'test_data.jsonl.gz') });
  const tLoad = performance.now() - t0;
  const rows = (['train', 'valid', 'test'] as const).map((part) => {
    const idx = ds.split[part];
    const ex = toCrsExamples(ds, idx);
    const turns = idx.reduce((a, i) => a + ds.conversations[i].turns.length, 0);
    return { part, conversations: idx.length, turns, 'RTA examples': ex.length, 'mean context turns': ex.reduce((a, e) => a + e.context.length, 0) / Math.max(1, ex.length), 'mean history': ex.reduce((a, e) => a + e.history.length, 0) / Math.max(1, ex.length) };
  });
  const liked = likedInteractions(ds).stats();
  sections.push(
    `### ../shared/data/redial (extra_train / extra_valid / official test)\n\nLoad (${ds.items.ids.length.toLocaleString('en-US')}-movie catalogue, ${ds.conversations.length.toLocaleString('en-US')} conversations): ${tLoad.toFixed(0)} ms.\n\n` +
      markdownTable(rows) +
      `\nLiked view (seeker x liked movie): ${liked.users} users, ${liked.interactions} interactions over ${liked.items} catalogue items.\n`,
  );
} else sections.push('### ReDIAL\n\nskipped: ../shared/data/redial not found\n');

writeBenchSection(join(here, 'results.md'), '@lmrec/datasets', 'pnpm --filter @lmrec/datasets bench', sections.join('\n'));
console.log(sections.join('\n'));
