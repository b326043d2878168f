import type { VectorStore } from '@lmrec/vectors';
import type { QueryEncoders, QueryPlan, QuerySource, RankedItem, Ranker } from './service.js';

export interface IndexOptions {
  /** pgvector hnsw.ef_search per query (default 100; raised to k). */
  efSearch?: number;
  /** `auto` (default): the planner picks (exact scan for small catalogues); `index`: always HNSW. */
  plan?: 'auto' | 'index';
}

/**
 * Top-k from an exported run's HNSW index in PostgreSQL + pgvector (PGlite
 * or a server): excluded ids are filtered in SQL by an iterative scan, so
 * they never shorten the answer; scores are the model's (inner product or
 * cosine) computed by pgvector on the stored vectors.
 */
export class IndexRanker implements Ranker {
  readonly backend = 'index' as const;

  constructor(
    private readonly store: VectorStore,
    private readonly runKey: string,
    private readonly options: IndexOptions = {},
  ) {}

  async rank(plans: readonly QueryPlan[]): Promise<RankedItem[][]> {
    // One connection (PGlite is one session): queries run one after another.
    const out: RankedItem[][] = [];
    for (const p of plans) out.push(await this.store.nearest(this.runKey, p.vector, { k: p.k, exclude: p.exclude, efSearch: this.options.efSearch, plan: this.options.plan }));
    return out;
  }

  async title(id: number): Promise<string | undefined> {
    if (!Number.isInteger(id) || id < 0 || id > 2 ** 31 - 1) return undefined;
    return (await this.store.item(this.runKey, id))?.title;
  }
}

/**
 * The planner's view of an exported run: user vectors and known items come
 * from the database; history, intention and conversation need the model's
 * encoders (the runner rebuilds them from the saved run), else they are refused.
 */
export async function indexSource(store: VectorStore, runKey: string, encoders: QueryEncoders = {}): Promise<QuerySource> {
  const run = await store.requireRun(runKey);
  return {
    name: run.model,
    score: run.score,
    dim: run.dim,
    nItems: run.nItems,
    nUsers: run.nUsers,
    history: encoders.history?.bind(encoders),
    intention: encoders.intention?.bind(encoders),
    conversation: encoders.conversation?.bind(encoders),
    user: (id) => store.user(runKey, id),
  };
}
