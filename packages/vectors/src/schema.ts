import { createHash } from 'node:crypto';
import type { SqlRunner } from './client.js';

/** How a model scores a user against an item: the index's distance follows it. */
export type ScoreKind = 'dot' | 'cosine';

export interface HnswSettings {
  /** Neighbours per node (pgvector default 16). */
  m: number;
  /** Candidate list while building (pgvector default 64). */
  efConstruction: number;
}

/** One exported run as the `lmrec_runs` table records it. */
export interface RunInfo {
  runKey: string;
  /** 1 on the first export, +1 on every re-export. */
  version: number;
  model: string;
  runId?: string;
  score: ScoreKind;
  dim: number;
  nItems: number;
  nUsers: number;
  itemsTable: string;
  usersTable?: string;
  hnsw: HnswSettings;
  metadata: Record<string, unknown>;
  exportedAt: string;
}

export const RUNS_TABLE = 'lmrec_runs';

/** SQL per score kind: the HNSW operator class, the ordering operator and the score it implies. */
export const SCORE_SQL: Record<ScoreKind, { ops: string; order: string; score: (column: string, param: string) => string }> = {
  // <#> is the NEGATIVE inner product (so ascending order = best first).
  dot: { ops: 'vector_ip_ops', order: '<#>', score: (c, p) => `(-(${c} <#> ${p}))` },
  cosine: { ops: 'vector_cosine_ops', order: '<=>', score: (c, p) => `(1 - (${c} <=> ${p}))` },
};

export async function ensureSchema(tx: SqlRunner): Promise<void> {
  await tx.query('CREATE EXTENSION IF NOT EXISTS vector');
  await tx.query(`CREATE TABLE IF NOT EXISTS ${RUNS_TABLE} (
    run_key text PRIMARY KEY,
    version integer NOT NULL,
    model text NOT NULL,
    run_id text,
    score text NOT NULL CHECK (score IN ('dot', 'cosine')),
    dim integer NOT NULL,
    n_items integer NOT NULL,
    n_users integer NOT NULL,
    items_table text NOT NULL,
    users_table text,
    hnsw jsonb NOT NULL,
    metadata jsonb NOT NULL,
    exported_at timestamptz NOT NULL DEFAULT now()
  )`);
}

/** Table names are derived (never user text in SQL): a hash of the run key plus the version. */
export function tableNames(runKey: string, version: number): { items: string; users: string } {
  const h = createHash('sha1').update(runKey).digest('hex').slice(0, 12);
  return { items: `lmrec_items_${h}_v${version}`, users: `lmrec_users_${h}_v${version}` };
}

export const RUN_COLUMNS = `run_key, version, model, run_id, score, dim, n_items, n_users, items_table, users_table, hnsw, metadata, exported_at::text AS exported_at`;

export function runFromRow(row: Record<string, unknown>): RunInfo {
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
  const hnsw = json(row.hnsw) as unknown as HnswSettings;
  return {
    runKey: String(row.run_key),
    version: Number(row.version),
    model: String(row.model),
    ...(row.run_id == null ? {} : { runId: String(row.run_id) }),
    score: row.score as ScoreKind,
    dim: Number(row.dim),
    nItems: Number(row.n_items),
    nUsers: Number(row.n_users),
    itemsTable: String(row.items_table),
    ...(row.users_table == null ? {} : { usersTable: String(row.users_table) }),
    hnsw: { m: Number(hnsw.m), efConstruction: Number(hnsw.efConstruction) },
    metadata: json(row.metadata),
    exportedAt: String(row.exported_at),
  };
}

/** Postgres "undefined table": a run re-exported (old table dropped) or no schema yet. */
export function isUndefinedTable(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '42P01';
}
