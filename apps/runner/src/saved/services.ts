import { LmrecError } from '@lmrec/core';
import { exactService, indexService, ModelRouter, ScoreService, type ItemInfo, type ModelInfo, type RecommendRequest, type RecommendResponse, type RecommendService } from '@lmrec/serve';
import type { VectorStore } from '@lmrec/vectors';
import type { SavedRun } from './open.js';
import type { ServedModel } from './served.js';

/** The key a model of a run is exported under (and looked up by `serve --index`). */
export const runKeyOf = (run: SavedRun, label: string) => `${run.config.name}/${label}`;

/**
 * A factorised model whose new-user histories only the model itself can
 * score (FISM, SASRec: scoreHistories, no user vector): `history` requests go
 * to its scores, everything else to the vectors.
 */
class WithHistories implements RecommendService {
  constructor(
    private readonly vectors: RecommendService,
    private readonly scores: ScoreService,
  ) {}

  async models(): Promise<ModelInfo[]> {
    return (await this.vectors.models()).map((m) => ({ ...m, inputs: m.inputs.includes('history') ? m.inputs : [...m.inputs, 'history'] }));
  }

  item(id: number): Promise<ItemInfo | undefined> {
    return this.vectors.item(id);
  }

  recommend(request: RecommendRequest): Promise<RecommendResponse> {
    return request.history !== undefined ? this.scores.recommend(request) : this.vectors.recommend(request);
  }
}

function scoreService(m: ServedModel): ScoreService {
  const model = m.model!;
  return new ScoreService({
    name: m.label,
    nItems: m.nItems,
    nUsers: m.nUsers,
    ...(m.titles ? { titles: m.titles } : {}),
    ...(m.seen ? { seen: m.seen } : {}),
    scoreUsers: (users) => model.scoreBlock(users),
    ...(model.scoreHistories ? { scoreHistories: (histories) => model.scoreHistories!(histories) } : {}),
  });
}

/** In memory: the batched exact scorer on the model's factors, or its own scores when it has none. */
export function exactServiceFor(m: ServedModel): RecommendService {
  if (!m.factors) return scoreService(m);
  const vectors = exactService({ ...m.factors, ...m.encoders });
  return m.encoders.history || !m.model?.scoreHistories ? vectors : new WithHistories(vectors, scoreService(m));
}

/** From the vector index: the export's vectors, the run's encoders (history, intention, conversation). */
export async function indexServiceFor(store: VectorStore, runKey: string, m: ServedModel, efSearch?: number): Promise<RecommendService> {
  if (!m.factors) throw new LmrecError('E_UNSUPPORTED', `${m.label} (${m.plugin}) has no item vectors, so it has no index; serve it without --index`, { field: 'model' });
  const run = await store.run(runKey);
  if (!run) {
    const known = (await store.runs()).map((r) => r.runKey);
    throw new LmrecError('E_NOT_FOUND', `${m.label} was never exported to this database (no run key "${runKey}")`, {
      hint: `run lmrec export first${known.length ? `; exported here: ${known.join(', ')}` : ''}`,
    });
  }
  if (run.dim !== m.factors.dim || run.nItems !== m.factors.nItems) {
    throw new LmrecError('E_STATE', `the export of ${runKey} holds ${run.nItems} items x ${run.dim} dims, the run's model ${m.factors.nItems} x ${m.factors.dim}`, { hint: 'export the run again' });
  }
  return indexService(store, runKey, { encoders: m.encoders, ...(efSearch === undefined ? {} : { efSearch }) });
}

/** One service per model behind one API (`model` in a request picks one; the first by default, as in `lmrec recommend`). */
export function router(services: ReadonlyMap<string, RecommendService>): RecommendService {
  return services.size === 1 ? [...services.values()][0] : new ModelRouter(services);
}
