/**
 * Rebuilds data/redial-sample/ from the staged ReDIAL files (see
 * data/redial-sample/README.md for sources and licence):
 *   tsx scripts/make-redial-sample.ts [redialDir]
 * Conversation lines are copied byte for byte (the first N of each file);
 * movies.csv keeps the header and only the rows of movies those
 * conversations mention (text @ids, movieMentions and question keys).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = resolve(process.argv[2] ?? join(here, '..', '..', '..', '..', 'shared', 'data', 'redial'));
const out = join(here, '..', 'data', 'redial-sample');

const PARTS = [
  { name: 'train', file: 'extra_train.jsonl', take: 300 },
  { name: 'valid', file: 'extra_valid.jsonl', take: 50 },
  { name: 'test', file: 'test_data.jsonl.gz', take: 150 },
] as const;

function lines(file: string): string[] {
  const raw = readFileSync(join(source, file));
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text.split('\n').filter((l) => l.trim() !== '');
}

mkdirSync(out, { recursive: true });
const mentioned = new Set<string>();
for (const part of PARTS) {
  const picked = lines(part.file).slice(0, part.take);
  for (const line of picked) {
    const record = JSON.parse(line);
    for (const m of record.messages) for (const match of String(m.text).matchAll(/@(\d+)/g)) mentioned.add(match[1]);
    for (const key of Object.keys(record.movieMentions ?? {})) mentioned.add(key);
    for (const q of [record.initiatorQuestions, record.respondentQuestions]) {
      if (q && !Array.isArray(q)) for (const key of Object.keys(q)) mentioned.add(key);
    }
  }
  // mtime 0 in the gzip header keeps the output byte-identical across runs.
  writeFileSync(join(out, `${part.name}.jsonl.gz`), gzipSync(Buffer.from(picked.join('\n') + '\n'), { level: 9 }));
  console.log(`${part.name}: ${picked.length} conversations`);
}
const movies = readFileSync(join(source, 'movies_with_mentions.csv'), 'utf8').split('\n');
const kept = [movies[0], ...movies.slice(1).filter((row) => row !== '' && mentioned.has(row.slice(0, row.indexOf(','))))];
writeFileSync(join(out, 'movies.csv'), kept.join('\n') + '\n');
console.log(`movies: ${kept.length - 1} of ${movies.filter((r) => r !== '').length - 1}`);
