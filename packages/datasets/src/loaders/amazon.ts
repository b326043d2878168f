import { LmrecError, readLines } from '@lmrec/core';
import { InteractionBuilder, type DedupRule } from '../interactions/builder.js';
import { InteractionDataset } from '../interactions/dataset.js';
import { Items } from '../interactions/idmap.js';
import { normalizeTitle } from '../util/csv.js';
import { parseError, fileError } from '../util/fail.js';
import { parsePythonLiteral } from '../util/pyliteral.js';

export interface AmazonOptions {
  /** `reviews_<Category>_5.json.gz` (2014) or `<Category>_5.json.gz` (2018). */
  reviews: string;
  /** `meta_<Category>.json.gz`: titles, descriptions, categories, brand. */
  meta: string;
  /** 2014 meta lines are Python dict literals; 2018 lines are JSON. Detected per line when omitted. */
  version?: 2014 | 2018;
  /** Default `latest`: the 2018 release repeats some reviews verbatim. */
  dedup?: DedupRule;
  /** A reviewed item without a meta line: `error` (default) or keep it with an empty title. */
  missingMeta?: 'error' | 'empty';
  minRating?: number;
  name?: string;
}

type Json = Record<string, unknown>;

function parseMetaLine(text: string, file: string, line: number): Json {
  let value: unknown;
  const first = text.trimStart();
  try {
    value = first.startsWith("{'") || first.startsWith('{u\'') ? parsePythonLiteral(text) : JSON.parse(text);
  } catch (jsonError) {
    try {
      value = parsePythonLiteral(text);
    } catch (error) {
      parseError(`neither JSON nor a Python literal: ${(jsonError as Error).message}; ${(error as Error).message}`, file, line);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) parseError('a meta line must be an object', file, line);
  return value as Json;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(' ') : '');

/**
 * Amazon reviews (McAuley et al.) 2014 or 2018, 5-core review lines
 * (`reviewerID`, `asin`, `overall`, `unixReviewTime`) plus metadata titles.
 * Items are the reviewed asins (ascending id); meta lines of other asins
 * are skipped and a repeated meta asin keeps its first line.
 */
export async function loadAmazon(options: AmazonOptions): Promise<InteractionDataset> {
  const draft = await readReviews(options);
  const meta = await readMeta(options.meta, draft.items.ids as string[]);
  if ((options.missingMeta ?? 'error') === 'error') {
    const missing = draft.items.ids.filter((_, i) => !meta.found[i]);
    if (missing.length) {
      throw new LmrecError('E_UNRESOLVED', `${missing.length} reviewed items have no meta line (first: ${missing.slice(0, 3).join(', ')})`, {
        file: options.meta,
        field: 'asin',
        hint: 'pass missingMeta: "empty" to keep them with empty titles',
      });
    }
  }
  return new InteractionDataset({
    name: options.name ?? 'amazon',
    users: draft.users,
    items: new Items(draft.items.ids as string[], meta.titles, meta.descriptions, meta.genres, meta.brands),
    interactions: draft.interactions,
    ratings: draft.ratings,
    timestamps: draft.timestamps,
  });
}

async function readReviews(options: AmazonOptions) {
  const file = options.reviews;
  const builder = new InteractionBuilder(file, { ratings: true, timestamps: true });
  const minRating = options.minRating ?? -Infinity;
  let rows = 0;
  for await (const { text: line, line: no } of readLines(file)) {
    if (line.trim() === '') continue;
    const { user, item, rating, time } = parseReview(line, file, no);
    rows++;
    if (rating < minRating) continue;
    builder.push(builder.user(user), builder.item(item)!, rating, time, no);
  }
  if (rows === 0) fileError('E_EMPTY', 'no reviews in file', file);
  return builder.build('draft', { dedup: options.dedup ?? 'latest' });
}

function parseReview(line: string, file: string, no: number): { user: string; item: string; rating: number; time: number } {
  let record: Json;
  try {
    record = JSON.parse(line);
  } catch {
    try {
      record = parsePythonLiteral(line) as Json;
    } catch (error) {
      parseError(`not a review record: ${(error as Error).message}`, file, no);
    }
  }
  if (typeof record! !== 'object' || record === null) parseError('a review line must be an object', file, no);
  const { reviewerID: user, asin: item, overall: rating, unixReviewTime: time } = record;
  if (typeof user !== 'string' || user === '') parseError('missing reviewerID', file, no, 'reviewerID');
  if (typeof item !== 'string' || item === '') parseError('missing asin', file, no, 'asin');
  if (typeof rating !== 'number' || !(rating >= 0 && rating <= 5)) parseError(`overall must be a number in 0..5, got ${JSON.stringify(rating)}`, file, no, 'overall');
  if (typeof time !== 'number' || !Number.isFinite(time)) parseError(`unixReviewTime must be a number, got ${JSON.stringify(time)}`, file, no, 'unixReviewTime');
  return { user: user as string, item: item as string, rating: rating as number, time: time as number };
}

/** Titles, descriptions, categories and brands of the reviewed asins; the first meta line of an asin wins. */
async function readMeta(file: string, asins: string[]) {
  const wanted = new Map(asins.map((id, i) => [id, i]));
  const n = asins.length;
  const titles = new Array<string>(n).fill('');
  const descriptions = new Array<string>(n).fill('');
  const genres: string[][] = Array.from({ length: n }, () => []);
  const brands = new Array<string>(n).fill('');
  const found = new Uint8Array(n);
  let metaRows = 0;
  for await (const { text: line, line: no } of readLines(file)) {
    if (line.trim() === '') continue;
    metaRows++;
    const record = parseMetaLine(line, file, no);
    const asin = record.asin;
    if (typeof asin !== 'string') parseError('missing asin', file, no, 'asin');
    const i = wanted.get(asin as string);
    if (i === undefined || found[i]) continue;
    found[i] = 1;
    titles[i] = normalizeTitle(text(record.title));
    descriptions[i] = normalizeTitle(text(record.description));
    brands[i] = typeof record.brand === 'string' ? record.brand : '';
    // 2014: categories [[path], ...]; 2018: category [path].
    const cats = Array.isArray(record.categories) ? (record.categories as unknown[]).flat() : Array.isArray(record.category) ? record.category : [];
    genres[i] = [...new Set(cats.filter((c): c is string => typeof c === 'string'))];
  }
  if (metaRows === 0) fileError('E_EMPTY', 'no metadata in file', file);
  return { titles, descriptions, genres, brands, found };
}
