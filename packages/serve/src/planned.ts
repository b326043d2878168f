import { LmrecError } from '@lmrec/core';
import type { VectorStore } from '@lmrec/vectors';
import { Batcher, type BatchOptions } from './batcher.js';
import { ExactRanker, factorSource, type FactorModel } from './exact.js';
import { IndexRanker, indexSource, type IndexOptions } from './indexed.js';
import { inputKinds, planQuery } from './plan.js';
import type { ItemInfo, ModelInfo, RecommendRequest, RecommendResponse } from './schemas.js';
import type { QueryEncoders, QueryPlan, QuerySource, RankedItem, Ranker, RecommendService } from './service.js';

export interface ServiceOptions {
  /** Coalesce concurrent requests into one ranking call (default on; `false` ranks each alone). */
  batch?: BatchOptions | false;
  /** Extra facts for /v1/models (run key, version). */
  info?: Partial<ModelInfo>;
}

/** A service from a planner source and a ranker: the request semantics live in planQuery. */
export class PlannedService implements RecommendService {
  readonly batcher?: Batcher<QueryPlan, RankedItem[]>;

  constructor(
    readonly source: QuerySource,
    readonly ranker: Ranker,
    private readonly options: ServiceOptions = {},
  ) {
    if (options.batch !== false) this.batcher = new Batcher((plans) => ranker.rank(plans), options.batch);
  }

  async models(): Promise<ModelInfo[]> {
    const { name, score, dim, nItems, nUsers } = this.source;
    return [{ name, backend: this.ranker.backend, score, dim, nItems, nUsers, inputs: inputKinds(this.source), ...this.options.info }];
  }

  async item(id: number): Promise<ItemInfo | undefined> {
    if (!(id >= 0 && id < this.source.nItems)) return undefined;
    const title = await this.ranker.title(id);
    return title === undefined ? undefined : { id, title };
  }

  async recommend(request: RecommendRequest): Promise<RecommendResponse> {
    if (request.model !== undefined && request.model !== this.source.name) {
      throw new LmrecError('E_UNKNOWN_MODEL', `no model "${request.model}" here`, { field: 'model', hint: `models: ${this.source.name}` });
    }
    const plan = await planQuery(this.source, request);
    const items = this.batcher ? await this.batcher.push(plan) : (await this.ranker.rank([plan]))[0];
    return { model: this.source.name, backend: this.ranker.backend, items };
  }
}

/** Serves an in-memory factorised model with the exact scorer. */
export function exactService(model: FactorModel, options: ServiceOptions = {}): PlannedService {
  return new PlannedService(factorSource(model), new ExactRanker(model), options);
}

/** Serves an exported run from its pgvector index (`@lmrec/vectors`). */
export async function indexService(store: VectorStore, runKey: string, options: ServiceOptions & IndexOptions & { encoders?: QueryEncoders } = {}): Promise<PlannedService> {
  const run = await store.requireRun(runKey);
  const source = await indexSource(store, runKey, options.encoders);
  return new PlannedService(source, new IndexRanker(store, runKey, options), { ...options, info: { runKey, version: run.version, ...options.info } });
}

/**
 * Several models of one run behind one API: `model` in a request picks one
 * (default: the first). Items come from the first model's catalogue.
 */
export class ModelRouter implements RecommendService {
  private readonly names: string[];

  constructor(private readonly services: ReadonlyMap<string, RecommendService>) {
    this.names = [...services.keys()];
    if (this.names.length === 0) throw new LmrecError('E_ARGUMENT', 'a model router needs at least one model');
  }

  async models(): Promise<ModelInfo[]> {
    const all = await Promise.all(this.names.map(async (name) => (await this.services.get(name)!.models()).map((m) => ({ ...m, name }))));
    return all.flat();
  }

  item(id: number): Promise<ItemInfo | undefined> {
    return this.services.get(this.names[0])!.item(id);
  }

  async recommend(request: RecommendRequest): Promise<RecommendResponse> {
    const name = request.model ?? this.names[0];
    const service = this.services.get(name);
    if (!service) throw new LmrecError('E_UNKNOWN_MODEL', `no model "${name}" here`, { field: 'model', hint: `models: ${this.names.join(', ')}` });
    return { ...(await service.recommend(request)), model: name };
  }

  async close(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.close?.()));
  }
}
