import { resolve } from 'node:path';
import { LmrecError } from '@lmrec/core';
import { pgClient, pgliteClient, type SqlClient } from './client.js';
import { acquireFolderLock } from './lock.js';

/**
 * Where vectors live: a PGlite folder on disk (embedded, the default), or a
 * PostgreSQL server with pgvector whose connection string is read from an
 * environment variable, so it never appears in argv, configs, logs or errors.
 */
export type VectorTarget = { kind: 'pglite'; dir: string } | { kind: 'postgres'; env: string };

export const DEFAULT_PG_ENV = 'LMREC_PG_URL';

/**
 * `pglite:<dir>` or a plain folder path -> PGlite; `env:<VAR>` (or `postgres`
 * for `env:LMREC_PG_URL`) -> the server named by $VAR. A literal
 * `postgres://` URL is refused: it would end up in shell history and logs.
 */
export function parseTarget(spec: string, baseDir = process.cwd()): VectorTarget {
  const text = spec.trim();
  if (!text) throw new LmrecError('E_ARGUMENT', 'empty vector target', { field: 'target', hint: 'give a folder, pglite:<dir> or env:<VAR>' });
  if (/^postgres(ql)?:\/\//i.test(text)) {
    throw new LmrecError('E_ARGUMENT', 'a connection string is not accepted as a target', {
      field: 'target',
      hint: `put it in an environment variable and give env:<VAR> (e.g. env:${DEFAULT_PG_ENV})`,
    });
  }
  if (text === 'postgres') return { kind: 'postgres', env: DEFAULT_PG_ENV };
  if (text.startsWith('env:')) {
    const env = text.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) throw new LmrecError('E_ARGUMENT', `"${env}" is not an environment variable name`, { field: 'target' });
    return { kind: 'postgres', env };
  }
  const dir = text.startsWith('pglite:') ? text.slice(7) : text;
  if (!dir) throw new LmrecError('E_ARGUMENT', 'pglite: needs a folder', { field: 'target' });
  return { kind: 'pglite', dir: resolve(baseDir, dir) };
}

/** A short, secret-free description of a target (for logs and metadata). */
export function describeTarget(target: VectorTarget): string {
  return target.kind === 'pglite' ? `pglite:${target.dir}` : `postgres (env:${target.env})`;
}

export interface ConnectOptions {
  /** Pool size for a server target (default 4). */
  maxConnections?: number;
}

export async function connectTarget(target: VectorTarget, options: ConnectOptions = {}): Promise<SqlClient> {
  return target.kind === 'pglite' ? openPglite(target.dir) : openPostgres(target.env, options);
}

async function openPglite(dir: string): Promise<SqlClient> {
  const release = acquireFolderLock(dir);
  try {
    const [{ PGlite }, { vector }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector')]);
    const db = await PGlite.create({ dataDir: dir, extensions: { vector } });
    return pgliteClient(db, release);
  } catch (error) {
    release();
    throw new LmrecError('E_DB_OPEN', `cannot open the PGlite folder ${dir}: ${(error as Error).message}`, { file: dir, cause: error });
  }
}

async function openPostgres(env: string, options: ConnectOptions): Promise<SqlClient> {
  const url = process.env[env];
  if (!url) throw new LmrecError('E_ARGUMENT', `the environment variable ${env} is not set`, { field: 'target', hint: `export ${env}=postgres://user:password@host:5432/db` });
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 4 });
  // An idle client that drops (server restart) must not crash the process.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new LmrecError('E_DB_CONNECT', `cannot connect to the PostgreSQL server in $${env}: ${redact((error as Error).message, url)}`, { field: 'target' });
  }
  return pgClient(pool);
}

/** The message with the connection string and its password taken out. */
export function redact(message: string, url: string): string {
  const secrets = [url];
  try {
    const parsed = new URL(url);
    if (parsed.password) secrets.push(parsed.password, decodeURIComponent(parsed.password));
  } catch {
    // not a URL (a key=value string): only the whole string is redacted
  }
  return secrets.filter((s) => s.length > 0).reduce((text, secret) => text.split(secret).join('***'), message);
}
