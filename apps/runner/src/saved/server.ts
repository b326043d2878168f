import { LmrecError } from '@lmrec/core';
import { buildApp, type RecommendService } from '@lmrec/serve';
import type { VectorStore, VectorTarget } from '@lmrec/vectors';
import type { SavedRun } from './open.js';
import { servedModels, type ServedModel } from './served.js';
import { exactServiceFor, indexServiceFor, router, runKeyOf } from './services.js';
import { openTarget } from './target.js';

export interface ServeRunOptions {
  /** Only this saved model (default: every model, the first answers requests without `model`). */
  model?: string;
  /** Answer from this vector database (an export of the run) instead of the in-memory exact scorer. */
  index?: VectorTarget;
  /** pgvector hnsw.ef_search per query. */
  efSearch?: number;
  maxK?: number;
  bodyLimit?: number;
}

export interface ServedRun {
  app: Awaited<ReturnType<typeof buildApp>>;
  service: RecommendService;
  models: ServedModel[];
  backend: 'exact' | 'index';
  /** Models of the run left out: not exported to the index served. */
  skipped: string[];
  /** Closes the app (if still open), the database and the models. */
  close(): Promise<void>;
}

/** A saved run behind the HTTP API of @lmrec/serve (not listening yet: `listen(app)` or `app.inject`). */
export async function serveRun(run: SavedRun, options: ServeRunOptions = {}): Promise<ServedRun> {
  const models = await servedModels(run, options.model);
  let store: VectorStore | undefined;
  try {
    store = options.index ? await openTarget(options.index, 'read') : undefined;
    const services = new Map<string, RecommendService>();
    const skipped: string[] = [];
    for (const m of models) {
      // Serving a whole run from an index: the models exported there (a named --model must be).
      if (store && options.model === undefined && models.length > 1 && !(m.factors && (await store.run(runKeyOf(run, m.label))))) {
        skipped.push(m.label);
        continue;
      }
      services.set(m.label, store ? await indexServiceFor(store, runKeyOf(run, m.label), m, options.efSearch) : exactServiceFor(m));
    }
    if (services.size === 0) {
      const known = (await store!.runs()).map((r) => r.runKey);
      throw new LmrecError('E_NOT_FOUND', `no model of ${run.dir} was exported to this database`, { hint: `run lmrec export first${known.length ? `; exported here: ${known.join(', ')}` : ''}` });
    }
    const service = router(services);
    const app = await buildApp(service, { title: `lmrec: ${run.config.name}`, ...(options.maxK ? { maxK: options.maxK } : {}), ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}) });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await service.close?.();
      await store?.close();
      models.forEach((m) => m.dispose());
    };
    return { app, service, models: models.filter((m) => services.has(m.label)), skipped, backend: store ? 'index' : 'exact', close };
  } catch (error) {
    await store?.close();
    models.forEach((m) => m.dispose());
    throw error;
  }
}
