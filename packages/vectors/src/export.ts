import { LmrecError, silentProgress, type Csr, type ProgressReporter } from '@lmrec/core';
import type { SqlClient, SqlRunner } from './client.js';
import { ensureSchema, RUN_COLUMNS, RUNS_TABLE, runFromRow, SCORE_SQL, tableNames, type HnswSettings, type RunInfo, type ScoreKind } from './schema.js';
import { vectorText } from './vector-text.js';

/** A factorised model's tables: what is exported here and what serve's exact scorer holds in memory. */
export interface FactorTables {
  score: ScoreKind;
  dim: number;
  nItems: number;
  /** [dim * nItems], item j = column j: the layout of `Scorer.factors().itemsT`. */
  itemsT: Float32Array;
  titles?: readonly string[];
  /** [nUsers * dim] row-major, for models that have user vectors. */
  users?: Float32Array;
  /** Known items per user (nUsers x nItems), excluded from that user's answers. */
  seen?: Csr;
}

export interface ExportRunInput extends FactorTables {
  /** Names the run in the database (e.g. `<run-id>/<model label>`); re-exporting the same key replaces it. */
  runKey: string;
  model: string;
  runId?: string;
  /** Free-form facts about the model (JSON); never put secrets here. */
  metadata?: Record<string, unknown>;
  hnsw?: Partial<HnswSettings> & { maintenanceWorkMem?: string };
  /** Rows per INSERT statement (default 1000). */
  batchSize?: number;
  progress?: ProgressReporter;
}

export const DEFAULT_HNSW: HnswSettings = { m: 16, efConstruction: 64 };

/**
 * Writes one run in ONE transaction: new versioned tables, rows, the HNSW
 * index, the `lmrec_runs` row, then the previous version's tables dropped.
 * Killed or failed at any point, the transaction rolls back and the previous
 * version stays as it was; readers keep using it until the commit.
 */
export async function exportRun(client: SqlClient, input: ExportRunInput): Promise<RunInfo> {
  const nUsers = checkInput(input);
  const hnsw: HnswSettings = { m: input.hnsw?.m ?? DEFAULT_HNSW.m, efConstruction: input.hnsw?.efConstruction ?? DEFAULT_HNSW.efConstruction };
  const progress = input.progress ?? silentProgress;
  return client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`lmrec:${input.runKey}`]);
    await ensureSchema(tx);
    const [previous] = await tx.query(`SELECT version, items_table, users_table FROM ${RUNS_TABLE} WHERE run_key = $1 FOR UPDATE`, [input.runKey]);
    const version = previous ? Number(previous.version) + 1 : 1;
    const names = tableNames(input.runKey, version);
    await writeItems(tx, names.items, input, hnsw, progress);
    if (input.users) await writeUsers(tx, names.users, input, nUsers, progress);
    const row = [input.runKey, version, input.model, input.runId ?? null, input.score, input.dim, input.nItems, nUsers, names.items, input.users ? names.users : null, JSON.stringify(hnsw), JSON.stringify(input.metadata ?? {})];
    const [saved] = await tx.query(
      `INSERT INTO ${RUNS_TABLE} (run_key, version, model, run_id, score, dim, n_items, n_users, items_table, users_table, hnsw, metadata, exported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, now())
       ON CONFLICT (run_key) DO UPDATE SET version = EXCLUDED.version, model = EXCLUDED.model, run_id = EXCLUDED.run_id, score = EXCLUDED.score,
         dim = EXCLUDED.dim, n_items = EXCLUDED.n_items, n_users = EXCLUDED.n_users, items_table = EXCLUDED.items_table,
         users_table = EXCLUDED.users_table, hnsw = EXCLUDED.hnsw, metadata = EXCLUDED.metadata, exported_at = EXCLUDED.exported_at
       RETURNING ${RUN_COLUMNS}`,
      row,
    );
    if (previous) {
      await tx.query(`DROP TABLE IF EXISTS "${previous.items_table}"`);
      if (previous.users_table) await tx.query(`DROP TABLE IF EXISTS "${previous.users_table}"`);
    }
    return runFromRow(saved);
  });
}

async function writeItems(tx: SqlRunner, table: string, input: ExportRunInput, hnsw: HnswSettings, progress: ProgressReporter): Promise<void> {
  const { dim, nItems, itemsT } = input;
  await tx.query(`CREATE TABLE "${table}" (id integer PRIMARY KEY, title text NOT NULL, embedding vector(${dim}) NOT NULL)`);
  const batch = input.batchSize ?? 1000;
  const task = progress.start('export items', nItems, 'items');
  for (let s = 0; s < nItems; s += batch) {
    const e = Math.min(nItems, s + batch);
    const ids: number[] = [];
    const titles: string[] = [];
    const vectors: string[] = [];
    for (let j = s; j < e; j++) {
      ids.push(j);
      titles.push(input.titles?.[j] ?? '');
      vectors.push(vectorText(itemsT, j, dim, nItems));
    }
    await tx.query(`INSERT INTO "${table}" (id, title, embedding) SELECT t.id, t.title, t.v::vector FROM unnest($1::int[], $2::text[], $3::text[]) AS t(id, title, v)`, [ids, titles, vectors]);
    task.tick(e - s);
  }
  task.end();
  const index = progress.start('build HNSW index', nItems, 'items');
  await tx.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [input.hnsw?.maintenanceWorkMem ?? '256MB']);
  await tx.query(`CREATE INDEX ON "${table}" USING hnsw (embedding ${SCORE_SQL[input.score].ops}) WITH (m = ${hnsw.m}, ef_construction = ${hnsw.efConstruction})`);
  index.tick(nItems);
  index.end();
}

async function writeUsers(tx: SqlRunner, table: string, input: ExportRunInput, nUsers: number, progress: ProgressReporter): Promise<void> {
  const { dim, users } = input;
  await tx.query(`CREATE TABLE "${table}" (id integer PRIMARY KEY, seen integer[] NOT NULL, embedding vector(${dim}) NOT NULL)`);
  const batch = input.batchSize ?? 1000;
  const task = progress.start('export users', nUsers, 'users');
  for (let s = 0; s < nUsers; s += batch) {
    const e = Math.min(nUsers, s + batch);
    const ids: number[] = [];
    const seen: string[] = [];
    const vectors: string[] = [];
    for (let u = s; u < e; u++) {
      ids.push(u);
      seen.push(`{${input.seen ? Array.from(input.seen.row(u)).join(',') : ''}}`);
      vectors.push(vectorText(users!, u * dim, dim));
    }
    await tx.query(`INSERT INTO "${table}" (id, seen, embedding) SELECT t.id, t.seen::int[], t.v::vector FROM unnest($1::int[], $2::text[], $3::text[]) AS t(id, seen, v)`, [ids, seen, vectors]);
    task.tick(e - s);
  }
  task.end();
}

/** Shapes and values checked before anything is written; returns nUsers. */
function checkInput(input: ExportRunInput): number {
  const { dim, nItems, itemsT } = input;
  const bad = (field: string, message: string, hint?: string) => new LmrecError('E_ARGUMENT', message, { field, hint });
  if (!input.runKey) throw bad('runKey', 'the run key is empty');
  if (!(input.score in SCORE_SQL)) throw bad('score', `score must be "dot" or "cosine", got "${String(input.score)}"`);
  if (!(Number.isInteger(dim) && dim >= 1 && dim <= 16000)) throw bad('dim', `dim must be an integer in [1, 16000], got ${dim}`);
  if (!(Number.isInteger(nItems) && nItems >= 1)) throw bad('nItems', `nItems must be a positive integer, got ${nItems}`);
  if (itemsT.length !== dim * nItems) throw bad('itemsT', `itemsT has ${itemsT.length} values, expected dim x nItems = ${dim * nItems}`);
  if (input.titles && input.titles.length !== nItems) throw bad('titles', `${input.titles.length} titles for ${nItems} items`);
  checkFinite(itemsT, 'itemsT');
  if (input.score === 'cosine') checkNonZeroItems(itemsT, dim, nItems);
  if (!input.users) {
    if (input.seen) throw bad('seen', 'seen items were given without user vectors');
    return 0;
  }
  const nUsers = input.users.length / dim;
  if (!Number.isInteger(nUsers)) throw bad('users', `users has ${input.users.length} values, not a multiple of dim ${dim}`);
  checkFinite(input.users, 'users');
  if (input.seen && (input.seen.nRows !== nUsers || input.seen.nCols !== nItems)) {
    throw bad('seen', `seen is ${input.seen.nRows} x ${input.seen.nCols}, expected nUsers x nItems = ${nUsers} x ${nItems}`);
  }
  return nUsers;
}

function checkFinite(values: Float32Array, field: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new LmrecError('E_ARGUMENT', `${field}[${i}] is ${values[i]}; pgvector stores finite numbers only`, { field });
  }
}

function checkNonZeroItems(itemsT: Float32Array, dim: number, nItems: number): void {
  const norms = new Float64Array(nItems);
  for (let c = 0; c < dim; c++) for (let j = 0; j < nItems; j++) norms[j] += itemsT[c * nItems + j] ** 2;
  const zero = norms.findIndex((n) => n === 0);
  if (zero >= 0) {
    throw new LmrecError('E_ARGUMENT', `item ${zero} has a zero vector: its cosine is undefined and a cosine HNSW index skips it`, {
      field: 'itemsT',
      hint: 'export the model with score "dot" if zero vectors are meant',
    });
  }
}
