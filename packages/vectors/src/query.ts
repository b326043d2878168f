import { LmrecError } from '@lmrec/core';
import type { SqlRunner, SqlClient } from './client.js';
import { SCORE_SQL, type RunInfo } from './schema.js';
import { parseVectorText, vectorText } from './vector-text.js';

export interface NearestOptions {
  k: number;
  /** Item ids never to return (known items, the request's exclusions). */
  exclude?: ArrayLike<number>;
  /** HNSW candidate list (pgvector's hnsw.ef_search; default 100, at least k, at most 1000). */
  efSearch?: number;
  /**
   * `auto` (default): PostgreSQL's planner picks; small catalogues get an
   * exact scan, large ones the HNSW index. `index`: the HNSW index always
   * (to measure it). `exact`: never the index (the reference for recall).
   */
  plan?: 'auto' | 'index' | 'exact';
}

export interface ScoredItem {
  id: number;
  title: string;
  score: number;
}

/**
 * Top-k items of a run for one query vector by the model's score, best
 * first, with the excluded ids filtered in SQL. The HNSW scan is iterative
 * (pgvector >= 0.8, strict order), so exclusions do not shrink the answer;
 * if it still comes back short (a sparse graph region), the query is re-run
 * as an exact scan, so the answer always has min(k, candidates) items.
 */
export async function nearest(client: SqlClient, run: RunInfo, vector: Float32Array, options: NearestOptions): Promise<ScoredItem[]> {
  if (vector.length !== run.dim) throw new LmrecError('E_SHAPE', `query vector has ${vector.length} values, the run ${run.runKey} has dim ${run.dim}`, { field: 'vector' });
  const { k } = options;
  if (!(Number.isInteger(k) && k >= 1)) throw new LmrecError('E_ARGUMENT', `k must be a positive integer, got ${k}`, { field: 'k' });
  const exclude = uniqueInRange(options.exclude ?? [], run.nItems);
  const want = Math.min(k, run.nItems - exclude.length);
  if (want <= 0) return [];
  const q = vectorText(vector, 0, run.dim);
  const ef = Math.min(1000, Math.max(k, Math.round(options.efSearch ?? 100)));
  const scanTuples = Math.max(20000, 4 * (k + exclude.length));
  const statement = nearestSql(run);
  const run1 = (plan: 'auto' | 'index' | 'exact') =>
    client.transaction(async (tx) => {
      await planSettings(tx, ef, scanTuples, plan);
      return tx.query<{ id: number; title: string; score: number }>(statement, [q, exclude, k]);
    });
  const plan = options.plan ?? 'auto';
  let rows = await run1(plan);
  if (rows.length < want && plan !== 'exact') rows = await run1('exact');
  return rows.map((r) => ({ id: Number(r.id), title: r.title, score: Number(r.score) }));
}

/** The top-k statement: $1 query vector, $2 excluded ids, $3 k. */
export function nearestSql(run: RunInfo): string {
  const sql = SCORE_SQL[run.score];
  return `SELECT id, title, ${sql.score('embedding', '$1::vector')}::float8 AS score FROM "${run.itemsTable}"
    WHERE NOT (id = ANY($2::int[])) ORDER BY embedding ${sql.order} $1::vector LIMIT $3`;
}

/** Transaction-local settings for one top-k query. */
export async function planSettings(tx: SqlRunner, ef: number, scanTuples: number, plan: 'auto' | 'index' | 'exact'): Promise<void> {
  await tx.query(
    `SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'strict_order', true),
            set_config('hnsw.max_scan_tuples', $2, true), set_config('enable_indexscan', $3, true),
            set_config('enable_seqscan', $4, true), set_config('enable_sort', $4, true)`,
    [String(ef), String(scanTuples), plan === 'exact' ? 'off' : 'on', plan === 'index' ? 'off' : 'on'],
  );
}

function uniqueInRange(ids: ArrayLike<number>, n: number): number[] {
  const set = new Set<number>();
  for (let i = 0; i < ids.length; i++) if (Number.isInteger(ids[i]) && ids[i] >= 0 && ids[i] < n) set.add(ids[i]);
  return [...set].sort((a, b) => a - b);
}

export async function itemRow(client: SqlRunner, run: RunInfo, id: number): Promise<{ id: number; title: string; vector: Float32Array } | undefined> {
  const [row] = await client.query<{ id: number; title: string; v: string }>(`SELECT id, title, embedding::text AS v FROM "${run.itemsTable}" WHERE id = $1`, [id]);
  return row ? { id: Number(row.id), title: row.title, vector: parseVectorText(row.v) } : undefined;
}

export async function userRow(client: SqlRunner, run: RunInfo, id: number): Promise<{ id: number; vector: Float32Array; seen: Int32Array } | undefined> {
  if (!run.usersTable) return undefined;
  const [row] = await client.query<{ id: number; seen: number[] | string; v: string }>(`SELECT id, seen, embedding::text AS v FROM "${run.usersTable}" WHERE id = $1`, [id]);
  if (!row) return undefined;
  return { id: Number(row.id), vector: parseVectorText(row.v), seen: Int32Array.from(parseIntArray(row.seen)) };
}

/** int[] comes back parsed from pg and PGlite; as text ('{1,2}') from a client without the type parser. */
function parseIntArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const body = value.replace(/^\{|\}$/g, '');
  return body ? body.split(',').map(Number) : [];
}

/** Titles of every item in id order (ids are dense 0..nItems-1). */
export async function itemTitles(client: SqlRunner, run: RunInfo): Promise<string[]> {
  const rows = await client.query<{ id: number; title: string }>(`SELECT id, title FROM "${run.itemsTable}" ORDER BY id`);
  const titles = new Array<string>(run.nItems).fill('');
  for (const r of rows) titles[Number(r.id)] = r.title;
  return titles;
}
