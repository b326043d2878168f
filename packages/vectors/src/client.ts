/**
 * The one SQL surface both back ends speak: PGlite in-process and any
 * PostgreSQL through `pg`. Every statement the package runs goes through
 * this, so the embedded and the server path execute the same SQL.
 */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface SqlClient extends SqlRunner {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** `pglite` or `postgres`, for messages and metadata (never a connection string). */
  readonly kind: 'pglite' | 'postgres';
}

/** The part of a PGlite instance we use (kept structural so tests can pass their own). */
export interface PgliteLike {
  query<T>(sql: string, params?: any[]): Promise<{ rows: T[] }>;
  transaction<T>(fn: (tx: { query<R>(sql: string, params?: any[]): Promise<{ rows: R[] }> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function pgliteClient(db: PgliteLike, onClose?: () => Promise<void> | void): SqlClient {
  return {
    kind: 'pglite',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<R>(sql, [...params])).rows;
    },
    transaction: (fn) => db.transaction((tx) => fn({ query: async <R>(sql: string, params: readonly unknown[] = []) => (await tx.query<R>(sql, [...params])).rows })),
    async close() {
      try {
        await db.close();
      } finally {
        await onClose?.();
      }
    },
  };
}

/** The part of a `pg.Pool` we use. */
export interface PgPoolLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
  connect(): Promise<{ query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>; release(error?: Error | boolean): void }>;
  end(): Promise<void>;
}

export function pgClient(pool: PgPoolLike): SqlClient {
  return {
    kind: 'postgres',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, [...params])).rows as R[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async <R>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, [...params])).rows as R[] });
        await client.query('COMMIT');
        return out;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: drop it from the pool instead of reusing it.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
