import { Rng } from '@lmrec/core';
import { write } from './helpers.js';
import type { InteractionDataset } from '../src/index.js';

export interface Rating {
  user: number;
  movie: number;
  rating: number;
  ts: number;
}

export interface MovieRow {
  id: number;
  title: string;
  genres: string[];
}

/** Random ratings without repeated (user, movie) pairs, plus a catalogue with a few unrated movies. */
export function randomMovieLens(seed: number, nUsers: number, nMovies: number, perUser: number, halfStars: boolean): { ratings: Rating[]; movies: MovieRow[] } {
  const rng = new Rng(seed);
  const genres = ['Action', 'Comedy', 'Drama', 'Sci-Fi'];
  const movies: MovieRow[] = [];
  const ids = rng.sampleWithoutReplacement(5000, nMovies);
  for (let m = 0; m < nMovies; m++) {
    const id = ids[m] + 1;
    const title = m % 7 === 0 ? `Movie, The ${m} (199${m % 10})` : m % 11 === 0 ? `Amélie ${m} (2001)` : `Film ${m} (19${50 + (m % 50)})`;
    movies.push({ id, title, genres: genres.filter((_, g) => (m >> g) & 1) });
  }
  const ratings: Rating[] = [];
  for (let u = 0; u < nUsers; u++) {
    const user = 1 + u * 3;
    const n = 1 + rng.int(perUser);
    for (const j of rng.sampleWithoutReplacement(nMovies - 2, n)) {
      const rating = halfStars ? 0.5 * (1 + rng.int(10)) : 1 + rng.int(5);
      ratings.push({ user, movie: movies[j].id, rating, ts: 880000000 + rng.int(1e7) });
    }
  }
  return { ratings: rng.shuffle(ratings), movies };
}

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const GENRES_100K = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

export function writeMl100k(dir: string, data: { ratings: Rating[]; movies: MovieRow[] }): void {
  write(dir, 'u.data', data.ratings.map((r) => `${r.user}\t${r.movie}\t${r.rating}\t${r.ts}`).join('\n') + '\n');
  const items = data.movies.map((m) => {
    const flags = GENRES_100K.map((g) => (m.genres.includes(g) ? 1 : 0)).join('|');
    return `${m.id}|${m.title}|01-Jan-1995||http://us.imdb.com/M/title-exact?x|${flags}`;
  });
  write(dir, 'u.item', latin1(items.join('\n') + '\n'));
}

export function writeMl1m(dir: string, data: { ratings: Rating[]; movies: MovieRow[] }): void {
  write(dir, 'ratings.dat', data.ratings.map((r) => `${r.user}::${r.movie}::${r.rating}::${r.ts}`).join('\n') + '\n');
  write(dir, 'movies.dat', latin1(data.movies.map((m) => `${m.id}::${m.title}::${m.genres.join('|') || '(no genres listed)'}`).join('\n') + '\n'));
  write(dir, 'users.dat', '1::F::1::10::48067\n');
}

export function writeMlCsv(dir: string, data: { ratings: Rating[]; movies: MovieRow[] }, gzip = false): void {
  const q = (t: string) => (t.includes(',') || t.includes('"') ? `"${t.replace(/"/g, '""')}"` : t);
  write(dir, gzip ? 'ratings.csv.gz' : 'ratings.csv', 'userId,movieId,rating,timestamp\n' + data.ratings.map((r) => `${r.user},${r.movie},${r.rating.toFixed(1)},${r.ts}`).join('\n') + '\n');
  write(dir, 'movies.csv', 'movieId,title,genres\n' + data.movies.map((m) => `${m.id},${q(m.title)},${m.genres.join('|') || '(no genres listed)'}`).join('\n') + '\n');
}

/** Canonical content by original ids, independent of dense numbering. */
export function canonical(ds: InteractionDataset): { rows: string[]; items: string[] } {
  const rows: string[] = [];
  const m = ds.interactions;
  for (let u = 0; u < m.nRows; u++) {
    for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
      rows.push(`${ds.users.ids[u]} ${ds.items.ids[m.indices[k]]} ${ds.ratings?.[k]} ${ds.timestamps?.[k]}`);
    }
  }
  const items = ds.items.ids.map((id, i) => `${id} ${ds.items.titles[i]} ${ds.items.genres?.[i].join('|')}`);
  return { rows: rows.sort(), items: items.sort() };
}

