import { join } from 'node:path';
import { LmrecError, readLines, type ProgressReporter } from '@lmrec/core';
import { InteractionBuilder, type DedupRule } from '../interactions/builder.js';
import type { InteractionDataset } from '../interactions/dataset.js';
import { Items } from '../interactions/idmap.js';
import { normalizeTitle, splitDelimited } from '../util/csv.js';
import { parseError, fileError } from '../util/fail.js';
import { scanNumericFile } from '../util/scan.js';
import { assertEndsWithNewline, estimateLines, fileExists } from '../util/files.js';

export type MovieLensVariant = '100k' | '1m' | '10m' | 'csv';

export interface MovieLensOptions {
  /** Folder of an extracted MovieLens release (ml-100k, ml-1m, ml-10M100K, ml-20m, ml-25m, ml-32m, ml-latest*). */
  dir: string;
  /** Detected from the files present when omitted. */
  variant?: MovieLensVariant;
  /** Keep only ratings >= minRating (implicit feedback while reading, saves memory). */
  minRating?: number;
  dedup?: DedupRule;
  name?: string;
  progress?: ProgressReporter;
}

const GENRES_100K = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

interface Layout {
  variant: MovieLensVariant;
  ratings: string;
  movies: string;
  sep: string;
  encoding: 'utf-8' | 'latin1';
  header: boolean;
}

async function layoutOf(dir: string, variant?: MovieLensVariant): Promise<Layout> {
  const detected =
    variant ??
    ((await fileExists(join(dir, 'u.data')))
      ? '100k'
      : (await fileExists(join(dir, 'ratings.dat')))
        ? (await fileExists(join(dir, 'users.dat')))
          ? '1m'
          : '10m'
        : (await fileExists(join(dir, 'ratings.csv'))) || (await fileExists(join(dir, 'ratings.csv.gz')))
          ? 'csv'
          : undefined);
  if (!detected) {
    throw new LmrecError('E_IO', 'no MovieLens ratings file (u.data, ratings.dat or ratings.csv) in this folder', { file: dir });
  }
  switch (detected) {
    case '100k':
      return { variant: '100k', ratings: join(dir, 'u.data'), movies: join(dir, 'u.item'), sep: '\t', encoding: 'latin1', header: false };
    case '1m':
      // ML-1M ships ISO-8859-1 titles; ML-10M is UTF-8.
      return { variant: '1m', ratings: join(dir, 'ratings.dat'), movies: join(dir, 'movies.dat'), sep: '::', encoding: 'latin1', header: false };
    case '10m':
      return { variant: '10m', ratings: join(dir, 'ratings.dat'), movies: join(dir, 'movies.dat'), sep: '::', encoding: 'utf-8', header: false };
    case 'csv': {
      const gz = !(await fileExists(join(dir, 'ratings.csv')));
      return { variant: 'csv', ratings: join(dir, gz ? 'ratings.csv.gz' : 'ratings.csv'), movies: join(dir, 'movies.csv'), sep: ',', encoding: 'utf-8', header: true };
    }
  }
}

/** The movie catalogue: dense ids in file order, titles and genres. */
async function readMovies(layout: Layout): Promise<{ items: Items; index: Map<number, number> }> {
  const file = layout.movies;
  if (!(await fileExists(file))) fileError('E_IO', 'movies file not found', file);
  const ids: string[] = [];
  const titles: string[] = [];
  const genres: string[][] = [];
  const index = new Map<number, number>();
  let last = 0;
  for await (const { text, line } of readLines(file, { encoding: layout.encoding })) {
    last = line;
    if (layout.header && line === 1) {
      if (text.replace(/^\uFEFF/, '') !== 'movieId,title,genres') parseError(`unexpected header "${text}" (want movieId,title,genres)`, file, line);
      continue;
    }
    // Releases have no blank lines; one may hide a lost record or a cut-off field.
    if (text === '') parseError('empty line', file, line);
    let id: string;
    let title: string;
    let genreList: string[];
    if (layout.variant === '100k') {
      const f = text.split('|');
      if (f.length !== 5 + GENRES_100K.length) parseError(`expected ${5 + GENRES_100K.length} "|"-separated fields, found ${f.length}`, file, line);
      id = f[0];
      title = f[1];
      genreList = [];
      for (let g = 0; g < GENRES_100K.length; g++) {
        const flag = f[5 + g];
        if (flag !== '0' && flag !== '1') parseError(`genre flag must be 0 or 1, got "${flag}"`, file, line, GENRES_100K[g]);
        if (flag === '1') genreList.push(GENRES_100K[g]);
      }
    } else {
      const f = layout.variant === 'csv' ? splitDelimited(text, ',', file, line) : text.split('::');
      if (f.length !== 3) parseError(`expected 3 fields (movieId, title, genres), found ${f.length}`, file, line);
      if (layout.variant !== 'csv' && f.some((x) => x.startsWith(':') || x.endsWith(':'))) {
        // ":::" cannot be split unambiguously; no release title starts or ends with ':'.
        parseError('a field starts or ends with ":" next to the "::" separator', file, line);
      }
      [id, title] = f;
      genreList = f[2] === '(no genres listed)' || f[2] === '' ? [] : f[2].split('|');
    }
    if (!/^[1-9]\d{0,9}$/.test(id)) parseError(`movie id "${id}" is not a positive integer`, file, line, 'movieId');
    const key = Number(id);
    if (index.has(key)) parseError(`duplicate movie id ${id}`, file, line, 'movieId');
    const clean = normalizeTitle(title);
    if (clean === '') parseError('empty title', file, line, 'title');
    index.set(key, ids.length);
    ids.push(id);
    titles.push(clean);
    genres.push(genreList);
  }
  if (ids.length === 0) fileError('E_EMPTY', 'no movies in file', file);
  await assertEndsWithNewline(file, last);
  return { items: new Items(ids, titles, undefined, genres), index };
}

/**
 * MovieLens 100K / 1M / 10M / 20M / 25M / 32M / latest in their release
 * formats. Every movie of the movies file is an item (dense ids in file
 * order); a rating of a movie not in it, a malformed field, a rating outside
 * 0.5..5, a repeated (user, movie) pair or a cut-off file is an LmrecError
 * naming file, line and field.
 */
export async function loadMovieLens(options: MovieLensOptions): Promise<InteractionDataset> {
  const layout = await layoutOf(options.dir, options.variant);
  const { items, index } = await readMovies(layout);
  const file = layout.ratings;
  if (!(await fileExists(file))) fileError('E_IO', 'ratings file not found', file);
  const estimate = await estimateLines(file);
  const builder = new InteractionBuilder(file, { ratings: true, timestamps: true, capacity: estimate, catalogue: index as Map<number | string, number> });
  const kinds = layout.variant === '100k' || layout.variant === '1m' ? (['int', 'int', 'int', 'int'] as const) : (['int', 'int', 'dec', 'int'] as const);
  const names = ['userId', 'movieId', 'rating', 'timestamp'];
  // movieId -> dense index + 1 (ids are positive integers below 1e10; tables only for the usual small ones).
  let maxMovie = 0;
  for (const key of index.keys()) maxMovie = Math.max(maxMovie, key);
  const dense = new Int32Array(maxMovie < 1 << 26 ? maxMovie + 1 : 0);
  if (dense.length) for (const [key, i] of index) dense[key] = i + 1;
  const lookup = (movie: number) => (dense.length ? (movie < dense.length ? dense[movie] - 1 : -1) : (index.get(movie) ?? -1));
  const minRating = options.minRating ?? -Infinity;
  const task = options.progress?.start(`read ${file}`, undefined, 'lines');
  let rows = 0;
  // The ratings file is the big one (20M+ lines): scanned from bytes, no object per line.
  const { lines, endsWithNewline } = await scanNumericFile(
    file,
    { sep: layout.sep, kinds, header: layout.header },
    {
      header(text) {
        if (text.replace(/^\uFEFF/, '') !== 'userId,movieId,rating,timestamp') parseError(`unexpected header "${text}" (want userId,movieId,rating,timestamp)`, file, 1);
      },
      bad(field, text, line) {
        if (field < 0) parseError('empty line', file, line);
        if (field >= 4) parseError(`more than 4 "${layout.sep}"-separated fields`, file, line);
        return parseError(`malformed ${names[field]} in "${text.length > 80 ? `${text.slice(0, 80)}...` : text}"`, file, line, names[field]);
      },
      record(out, line) {
        const rating = out[2];
        if (!(rating >= 0.5 && rating <= 5)) parseError(`rating ${rating} is outside 0.5..5`, file, line, 'rating');
        const movie = out[1];
        const item = lookup(movie);
        if (item < 0) {
          throw new LmrecError('E_UNRESOLVED', `movie ${out[1]} is not in ${layout.movies}`, { file, line, field: 'movieId' });
        }
        rows++;
        if (task && (rows & 0xfffff) === 0) task.tick(0x100000);
        if (rating < minRating) return;
        builder.push(builder.user(out[0]), item, rating, out[3], line);
      },
    },
  );
  task?.end();
  if (rows === 0) fileError('E_EMPTY', 'no ratings in file', file);
  if (!endsWithNewline) {
    throw new LmrecError('E_TRUNCATED', 'the last line has no newline: the file looks cut short', { file, line: lines, hint: 're-download or re-extract the file' });
  }
  const name = options.name ?? `movielens-${layout.variant === 'csv' ? 'csv' : layout.variant}`;
  return builder.build(name, { items, dedup: options.dedup });
}
