import { Csr, LmrecError, type CfSplit, type DialogueTurn, type Recommender } from '@lmrec/core';
import type { FactorModel, QueryEncoders } from '@lmrec/serve';
import { isConversationDataset, loadDataset } from '../experiments/data.js';
import { loadReindexed } from '../experiments/rta-model.js';
import type { SavedRun } from './open.js';

/** The name an RTA run's reindexed model is served and exported under. */
export const REINDEX_LABEL = 'reindex';

/**
 * One saved model made ready to serve or export: its factorised form (what
 * the exact scorer and the vector index hold), the encoders that turn other
 * inputs into query vectors, and the model itself for what has no vector
 * form (scores of models that are not factorised; FISM's histories).
 */
export interface ServedModel {
  label: string;
  plugin: string;
  /** undefined when the model has no factorised form (MultVAE). */
  factors?: FactorModel;
  encoders: QueryEncoders;
  /** The loaded Recommender (CF runs; absent for an RTA run's reindexed model). */
  model?: Recommender;
  nUsers: number;
  nItems: number;
  titles?: readonly string[];
  /** What a known user already has (train, valid and test): left out, as `lmrec recommend` does. */
  seen?: Csr;
  /** What it cannot answer that a user may expect, said for people (serve prints these at start). */
  limits: string[];
  dispose(): void;
}

export const isConversational = (run: SavedRun) => run.config.experiment === 'rta' || run.config.experiment === 'rta-aggregators';

/** Every saved model of a run, or the one named (`label`): CF models, or an RTA run's reindexed model. */
export async function servedModels(run: SavedRun, label?: string): Promise<ServedModel[]> {
  if (isConversational(run)) {
    if (label !== undefined && label !== REINDEX_LABEL) throw new LmrecError('E_ARGUMENT', `an ${run.config.experiment} run serves one model, "${REINDEX_LABEL}"`, { field: 'model' });
    return [await reindexModel(run)];
  }
  const labels = label === undefined ? run.labels : [label];
  if (labels.length === 0) throw new LmrecError('E_ARGUMENT', `${run.dir} saved no models`, { hint: 'run the config to completion first' });
  const missing = labels.find((l) => !run.labels.includes(l));
  if (missing !== undefined) throw new LmrecError('E_ARGUMENT', `no saved model "${missing}" in ${run.dir}`, { field: 'model', hint: `saved: ${run.labels.join(', ')}` });
  const [split, titles] = await Promise.all([run.split(), run.titles()]);
  const seen = knownItems(split);
  const out: ServedModel[] = [];
  for (const l of labels) out.push(await cfModel(run, l, seen, titles));
  return out;
}

/** Per user, every item of the split's three parts. */
export function knownItems(split: CfSplit): Csr {
  return Csr.fromRows(
    split.nItems,
    Array.from({ length: split.nUsers }, (_, u) => [...split.train.row(u), ...split.valid.row(u), ...split.test.row(u)]),
  );
}

interface AlphaRecLike extends Recommender {
  userVectorForHistory?(history: ArrayLike<number>): Float32Array;
  intentionVector?(text: string): Promise<Float32Array>;
  dispose?(): void;
}

async function cfModel(run: SavedRun, label: string, seen: Csr, titles: string[] | undefined): Promise<ServedModel> {
  const record = run.records.get(label)!;
  const withEncoder = record.deps['lmrec.dep.TextEncoder'] !== undefined;
  const model = (await run.model(label, { withEncoder })) as AlphaRecLike;
  const f = model.factors?.();
  const encoders: QueryEncoders = {};
  if (f && model.userVectorForHistory) {
    // AlphaRec's fold-in, unit length as its scoreHistories ranks it (its factors are unit length: dot = cosine).
    encoders.history = (histories) => rows(histories.map((h) => unit(model.userVectorForHistory!(h))));
  }
  const limits: string[] = [];
  if (f && withEncoder && model.intentionVector) encoders.intention = async (texts) => rows(await Promise.all(texts.map((t) => model.intentionVector!(t))));
  else if (model.intentionVector) limits.push(`${label} takes no intentions: its item vectors came with the dataset, not from a text encoder of this run (train it with an "encoder" in the config)`);
  if (!f) limits.push(`${label} (${record.plugin.name}) has no factorised form: served from its own scores, user${model.scoreHistories ? ' and history' : ''} requests only, no --index`);
  const nUsers = seen.nRows;
  const factors: FactorModel | undefined = f && {
    name: label,
    // The Scorer contract: score = users[u] . itemsT[:, j]; cosine models hand out unit vectors.
    score: 'dot',
    dim: f.dim,
    nItems: model.nItems,
    itemsT: f.itemsT,
    users: f.users,
    seen,
    ...(titles ? { titles } : {}),
  };
  return { label, plugin: record.plugin.name, factors, encoders, model, nUsers, nItems: model.nItems, titles, seen, limits, dispose: () => model.dispose?.() };
}

async function reindexModel(run: SavedRun): Promise<ServedModel> {
  const dataset = await loadDataset(run.ctx, run.config.dataset);
  if (!isConversationDataset(dataset)) throw new LmrecError('E_STATE', `${run.dir} is an ${run.config.experiment} run without a conversation dataset`);
  const { model, backbone } = await loadReindexed(run.ctx, dataset);
  const titles = dataset.items.titles;
  const itemsT = model.itemMatrixData();
  model.dispose();
  const conversation = async (cs: readonly (readonly DialogueTurn[])[]) => rows(await backbone.contextVectors(cs));
  const factors: FactorModel = { name: REINDEX_LABEL, score: 'dot', dim: model.dim, nItems: model.nItems, itemsT, titles };
  return { label: REINDEX_LABEL, plugin: 'reindex', factors, encoders: { conversation }, nUsers: 0, nItems: model.nItems, titles, limits: [], dispose: () => {} };
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  return Float32Array.from(v, (x) => x * s);
}

function rows(list: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(list.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of list) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}
