export { VectorStore } from './store.js';
export { exportRun, DEFAULT_HNSW, type ExportRunInput, type FactorTables } from './export.js';
export { nearest, nearestSql, planSettings, type NearestOptions, type ScoredItem } from './query.js';
export { parseTarget, describeTarget, connectTarget, redact, DEFAULT_PG_ENV, type VectorTarget, type ConnectOptions } from './target.js';
export { pgliteClient, pgClient, type SqlClient, type SqlRunner, type PgliteLike, type PgPoolLike } from './client.js';
export { tableNames, RUNS_TABLE, SCORE_SQL, type RunInfo, type ScoreKind, type HnswSettings } from './schema.js';
export { vectorText, parseVectorText } from './vector-text.js';
export { acquireFolderLock } from './lock.js';
