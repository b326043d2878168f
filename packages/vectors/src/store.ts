import { LmrecError } from '@lmrec/core';
import type { SqlClient } from './client.js';
import { exportRun, type ExportRunInput } from './export.js';
import { itemRow, itemTitles, nearest, userRow, type NearestOptions, type ScoredItem } from './query.js';
import { isUndefinedTable, RUN_COLUMNS, RUNS_TABLE, runFromRow, type RunInfo } from './schema.js';
import { connectTarget, type ConnectOptions, type VectorTarget } from './target.js';

/**
 * A model's vectors in PostgreSQL + pgvector, the same SQL on PGlite and on a
 * server. Reads cache each run's row; when a re-export (here or in another
 * process) has dropped the table a cached row names, the read re-resolves
 * the run once and retries, so readers move to the new version by themselves.
 */
export class VectorStore {
  private readonly cache = new Map<string, RunInfo>();

  constructor(readonly client: SqlClient) {}

  static async open(target: VectorTarget, options: ConnectOptions = {}): Promise<VectorStore> {
    return new VectorStore(await connectTarget(target, options));
  }

  async exportRun(input: ExportRunInput): Promise<RunInfo> {
    const run = await exportRun(this.client, input);
    this.cache.set(run.runKey, run);
    return run;
  }

  async runs(): Promise<RunInfo[]> {
    try {
      return (await this.client.query(`SELECT ${RUN_COLUMNS} FROM ${RUNS_TABLE} ORDER BY run_key`)).map(runFromRow);
    } catch (error) {
      if (isUndefinedTable(error)) return [];
      throw error;
    }
  }

  /** The run's current row, or undefined when it was never exported. */
  async run(runKey: string): Promise<RunInfo | undefined> {
    try {
      const [row] = await this.client.query(`SELECT ${RUN_COLUMNS} FROM ${RUNS_TABLE} WHERE run_key = $1`, [runKey]);
      const run = row ? runFromRow(row) : undefined;
      if (run) this.cache.set(runKey, run);
      else this.cache.delete(runKey);
      return run;
    } catch (error) {
      if (isUndefinedTable(error)) return undefined;
      throw error;
    }
  }

  /** Like `run`, but an unknown key is an error naming the runs there are. */
  async requireRun(runKey: string): Promise<RunInfo> {
    const run = this.cache.get(runKey) ?? (await this.run(runKey));
    if (run) return run;
    const known = (await this.runs()).map((r) => r.runKey);
    throw new LmrecError('E_NOT_FOUND', `no exported run "${runKey}" in this database`, { field: 'runKey', hint: known.length ? `exported: ${known.join(', ')}` : 'nothing exported yet' });
  }

  nearest(runKey: string, vector: Float32Array, options: NearestOptions): Promise<ScoredItem[]> {
    return this.withRun(runKey, (run) => nearest(this.client, run, vector, options));
  }

  item(runKey: string, id: number): Promise<{ id: number; title: string; vector: Float32Array } | undefined> {
    return this.withRun(runKey, (run) => itemRow(this.client, run, id));
  }

  user(runKey: string, id: number): Promise<{ id: number; vector: Float32Array; seen: Int32Array } | undefined> {
    return this.withRun(runKey, (run) => userRow(this.client, run, id));
  }

  titles(runKey: string): Promise<string[]> {
    return this.withRun(runKey, (run) => itemTitles(this.client, run));
  }

  /** Removes a run and its tables in one transaction; false when it was not there. */
  async dropRun(runKey: string): Promise<boolean> {
    this.cache.delete(runKey);
    const current = await this.run(runKey);
    if (!current) return false;
    await this.client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`lmrec:${runKey}`]);
      const [row] = await tx.query<{ items_table: string; users_table: string | null }>(`DELETE FROM ${RUNS_TABLE} WHERE run_key = $1 RETURNING items_table, users_table`, [runKey]);
      if (row) await tx.query(`DROP TABLE IF EXISTS "${row.items_table}"${row.users_table ? `, "${row.users_table}"` : ''}`);
    });
    this.cache.delete(runKey);
    return true;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async withRun<T>(runKey: string, fn: (run: RunInfo) => Promise<T>): Promise<T> {
    const run = await this.requireRun(runKey);
    try {
      return await fn(run);
    } catch (error) {
      if (!isUndefinedTable(error)) throw error;
      this.cache.delete(runKey);
      return fn(await this.requireRun(runKey));
    }
  }
}
