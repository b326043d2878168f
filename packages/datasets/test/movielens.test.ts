import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { loadMovieLens } from '../src/index.js';
import { caught, tempDir } from './helpers.js';
import { canonical, randomMovieLens, writeMl100k, writeMl1m, writeMlCsv, type MovieRow, type Rating } from './fixtures.js';

const root = tempDir();

function expected(data: { ratings: Rating[]; movies: MovieRow[] }, minRating = -Infinity) {
  return {
    rows: data.ratings.filter((r) => r.rating >= minRating).map((r) => `${r.user} ${r.movie} ${r.rating} ${r.ts}`).sort(),
    items: data.movies.map((m) => `${m.id} ${m.title} ${m.genres.join('|')}`).sort(),
  };
}

describe('loadMovieLens', () => {
  const data = randomMovieLens(1, 40, 60, 25, false);
  const half = randomMovieLens(2, 30, 50, 20, true);

  it('reads ML-100K (tab + Latin-1 pipe file)', async () => {
    const dir = join(root, '100k');
    writeMl100k(dir, data);
    const ds = await loadMovieLens({ dir });
    expect(ds.name).toBe('movielens-100k');
    expect(canonical(ds)).toEqual(expected(data));
    // Users in ascending original id, items in file order, sorted CSR rows.
    expect(ds.users.ids).toEqual([...new Set(data.ratings.map((r) => r.user))].sort((a, b) => a - b).map(String));
    expect(ds.items.ids).toEqual(data.movies.map((m) => String(m.id)));
    expect(ds.items.titles.some((t) => t.includes('é'))).toBe(true);
    for (let u = 0; u < ds.interactions.nRows; u++) {
      const row = Array.from(ds.interactions.row(u));
      expect(row).toEqual([...row].sort((a, b) => a - b));
    }
    const stats = ds.stats();
    expect([stats.users, stats.items, stats.interactions]).toEqual([40, 60, data.ratings.length]);
    expect(stats.density).toBeCloseTo(data.ratings.length / (40 * 60), 12);
  });

  it('reads ML-1M (:: and Latin-1) and ML-20M+ CSV (quoted titles, half stars, gzip)', async () => {
    const d1 = join(root, '1m');
    writeMl1m(d1, data);
    expect(canonical(await loadMovieLens({ dir: d1 }))).toEqual(expected(data));
    const d2 = join(root, 'csv');
    writeMlCsv(d2, half);
    const ds = await loadMovieLens({ dir: d2 });
    expect(canonical(ds)).toEqual(expected(half));
    expect(ds.items.titles).toContain(half.movies[7].title);
    const d3 = join(root, 'csvgz');
    writeMlCsv(d3, half, true);
    expect(canonical(await loadMovieLens({ dir: d3, minRating: 3.5 }))).toEqual(expected(half, 3.5));
  });

  it('rejects bad input with file, line and field', async () => {
    const dir = join(root, 'bad');
    writeMl100k(dir, data);
    const uData = join(dir, 'u.data');
    const good = readFileSync(uData, 'utf8');
    const lines = good.split('\n');
    const cases: [string, string, number, string | undefined][] = [
      [lines.slice(0, 2).join('\n') + '\n1\t2\n', 'E_PARSE', 3, 'movieId'],
      [lines.slice(0, 3).join('\n') + '\n7\t99999\t3\t880000000\n', 'E_UNRESOLVED', 4, 'movieId'],
      [lines.slice(0, 1).join('\n') + '\n7\t' + data.movies[0].id + '\t9\t880000000\n', 'E_PARSE', 2, 'rating'],
      [lines[0] + '\n' + lines[0] + '\n', 'E_DUPLICATE', 2, 'item'],
      [good.slice(0, good.length - 3), 'E_TRUNCATED', lines.length - 1, undefined],
      ['', 'E_EMPTY', 0, undefined],
    ];
    for (const [content, code, line, field] of cases) {
      writeFileSync(uData, content);
      const e = await caught(() => loadMovieLens({ dir }));
      expect([e.code, e.line ?? 0, e.field]).toEqual([code, line, field]);
      expect(e.file).toBe(uData);
    }
    writeFileSync(uData, good);
    appendFileSync(uData, Buffer.from([0x31, 0x09, 0xff, 0x0a]));
    const enc = await caught(() => loadMovieLens({ dir }));
    expect([enc.code, enc.line]).toEqual(['E_ENCODING', lines.length]);
    writeFileSync(uData, good);
    writeFileSync(join(dir, 'u.item'), '1|Toy Story|x\n');
    const short = await caught(() => loadMovieLens({ dir }));
    expect([short.code, short.line, short.file]).toEqual(['E_PARSE', 1, join(dir, 'u.item')]);
  });

  it('keeps one of a repeated pair when asked', async () => {
    const dir = join(root, 'dup');
    const small = { ratings: [{ user: 1, movie: 10, rating: 2, ts: 5 }, { user: 1, movie: 10, rating: 4, ts: 3 }, { user: 2, movie: 10, rating: 1, ts: 1 }], movies: [{ id: 10, title: 'A (1990)', genres: [] }] };
    writeMl1m(dir, small);
    const first = await loadMovieLens({ dir, dedup: 'first' });
    expect(Array.from(first.ratings!)).toEqual([2, 1]);
    expect(Array.from((await loadMovieLens({ dir, dedup: 'last' })).ratings!)).toEqual([4, 1]);
    expect(Array.from((await loadMovieLens({ dir, dedup: 'latest' })).timestamps!)).toEqual([5, 1]);
    const e = await caught(() => loadMovieLens({ dir }));
    expect([e.code, e.line, e.file]).toEqual(['E_DUPLICATE', 2, join(dir, 'ratings.dat')]);
  });
});
