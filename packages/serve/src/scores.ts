import { Csr, LmrecError, topKBlock } from '@lmrec/core';
import { Batcher, type BatchOptions } from './batcher.js';
import { sortedUnique } from './plan.js';
import type { ItemInfo, ModelInfo, RecommendRequest, RecommendResponse } from './schemas.js';
import type { RankedItem, RecommendService } from './service.js';

/**
 * A model seen only through its score rows (a core `Recommender`: SASRec,
 * MultVAE, FISM, ... without a factorised form).
 */
export interface ScoreModel {
  name: string;
  nItems: number;
  nUsers: number;
  titles?: readonly string[];
  /** Known items per user, excluded unless includeSeen. */
  seen?: Csr;
  /** [users.length * nItems] scores (Recommender.scoreBlock). */
  scoreUsers(users: Int32Array): Float32Array | Promise<Float32Array>;
  /** [histories.length * nItems] scores for new users (Recommender.scoreHistories). */
  scoreHistories?(histories: readonly Int32Array[]): Float32Array | Promise<Float32Array>;
}

interface Job {
  user?: number;
  history?: Int32Array;
  k: number;
  exclude: Int32Array;
}

/**
 * Serves a ScoreModel: concurrent user requests are scored in one
 * `scoreUsers` call (and histories in one `scoreHistories` call), then
 * core's top-K with each request's exclusions. Same request semantics as
 * the factorised services for `user` and `history`.
 */
export class ScoreService implements RecommendService {
  readonly batcher?: Batcher<Job, RankedItem[]>;

  constructor(
    private readonly model: ScoreModel,
    options: { batch?: BatchOptions | false } = {},
  ) {
    if (model.seen && (model.seen.nRows !== model.nUsers || model.seen.nCols !== model.nItems)) {
      throw new LmrecError('E_SHAPE', `model ${model.name}: seen is ${model.seen.nRows} x ${model.seen.nCols}, expected ${model.nUsers} x ${model.nItems}`, { field: 'seen' });
    }
    if (options.batch !== false) this.batcher = new Batcher((jobs) => this.rank(jobs), options.batch);
  }

  async models(): Promise<ModelInfo[]> {
    const { name, nItems, nUsers } = this.model;
    return [{ name, backend: 'exact', score: 'model', dim: 0, nItems, nUsers, inputs: this.model.scoreHistories ? ['user', 'history'] : ['user'] }];
  }

  async item(id: number): Promise<ItemInfo | undefined> {
    return id >= 0 && id < this.model.nItems ? { id, title: this.model.titles?.[id] ?? '' } : undefined;
  }

  async recommend(request: RecommendRequest): Promise<RecommendResponse> {
    const job = this.job(request);
    const items = this.batcher ? await this.batcher.push(job) : (await this.rank([job]))[0];
    return { model: this.model.name, backend: 'exact', items };
  }

  private job(request: RecommendRequest): Job {
    const { model } = this;
    const fail = (code: string, message: string, field: string) => new LmrecError(code, message, { field });
    if (request.model !== undefined && request.model !== model.name) throw fail('E_UNKNOWN_MODEL', `no model "${request.model}" here`, 'model');
    if (request.intention !== undefined) throw fail('E_UNSUPPORTED', `model ${model.name} does not take "intention"`, 'intention');
    if (request.conversation !== undefined) throw fail('E_UNSUPPORTED', `model ${model.name} does not take "conversation"`, 'conversation');
    const checkIds = (ids: readonly number[], field: string) => {
      const bad = ids.findIndex((id) => id >= model.nItems);
      if (bad >= 0) throw fail('E_UNKNOWN_ITEM', `item ${ids[bad]} is not in the catalogue (items are 0..${model.nItems - 1})`, `${field}[${bad}]`);
    };
    checkIds(request.exclude, 'exclude');
    let known: ArrayLike<number> = [];
    if (request.user !== undefined) {
      if (request.user >= model.nUsers) throw fail('E_UNKNOWN_USER', `user ${request.user} is not in the run (users are 0..${model.nUsers - 1})`, 'user');
      known = model.seen ? model.seen.row(request.user) : [];
    } else {
      if (!model.scoreHistories) throw fail('E_UNSUPPORTED', `model ${model.name} does not take "history": it cannot score a new history; give "user"`, 'history');
      checkIds(request.history!, 'history');
      known = request.history!;
    }
    const exclude = sortedUnique(request.includeSeen ? request.exclude : [...Array.from(known), ...request.exclude]);
    return { user: request.user, history: request.history && Int32Array.from(request.history), k: request.k, exclude };
  }

  private async rank(jobs: Job[]): Promise<RankedItem[][]> {
    const out = new Array<RankedItem[]>(jobs.length);
    const users = jobs.map((j, i) => [j, i] as const).filter(([j]) => j.user !== undefined);
    const histories = jobs.map((j, i) => [j, i] as const).filter(([j]) => j.user === undefined);
    if (users.length) this.top(await this.model.scoreUsers(Int32Array.from(users, ([j]) => j.user!)), users, out);
    if (histories.length) this.top(await this.model.scoreHistories!(histories.map(([j]) => j.history!)), histories, out);
    return out;
  }

  private top(scores: Float32Array, rows: readonly (readonly [Job, number])[], out: RankedItem[][]): void {
    const n = this.model.nItems;
    const exclude = Csr.fromRows(n, rows.map(([j]) => j.exclude));
    const k = Math.min(n, Math.max(...rows.map(([j]) => j.k)));
    const top = topKBlock(scores, rows.length, n, k, { exclude });
    rows.forEach(([job, index], r) => {
      const items: RankedItem[] = [];
      for (let i = 0; i < Math.min(job.k, k); i++) {
        const id = top.ids[r * k + i];
        if (id < 0) break;
        items.push({ id, title: this.model.titles?.[id] ?? '', score: top.scores[r * k + i] });
      }
      out[index] = items;
    });
  }
}
