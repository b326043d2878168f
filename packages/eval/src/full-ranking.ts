import {
  LmrecError,
  scoreTopK,
  silentProgress,
  topKBlock,
  type CfSplit,
  type Csr,
  type Metric,
  type ProgressReporter,
  type Scorer,
} from '@lmrec/core';
import { checkKs, DEFAULT_CF_KS, fullRankingProtocol, planEvaluation, type EvaluationPlan, type Factors } from './full-ranking-plan.js';
import { popularityRanks, type AggregateAccumulator, type AggregateMetric } from './metrics/aggregate.js';
import { MaskBuilder } from './mask.js';
import { sampledTopK, type SampledOptions } from './sampled.js';
import { summarise, type Ddof } from './stats.js';
import type { EvalResult } from './types.js';

export { checkKs, DEFAULT_CF_KS };

export interface FullRankingOptions {
  /** Which part holds the targets. Model selection must use 'valid'. */
  on: 'valid' | 'test';
  /** Cut-offs, default [10, 20, 50]. */
  ks?: readonly number[];
  /**
   * Users scored at once; memory is one [blockSize, nItems] float block on the
   * scoreBlock path. Default 256, or 4096 on the fused factors path (no score block).
   */
  blockSize?: number;
  progress?: ProgressReporter;
  /** Per-user metrics (built-in names or Metric objects), default recall, precision, ndcg, hr, mrr. */
  metrics?: readonly (Metric | string)[];
  /** List-level diagnostics, default coverage, poprank, gini; `false` for none. */
  aggregates?: readonly (AggregateMetric | string)[] | false;
  /** Evaluate only these users (still skipping those without targets). */
  users?: ArrayLike<number>;
  /** Sampled evaluation (N negatives per target) instead of full ranking: explicit opt-in, labelled in the result. */
  sampled?: SampledOptions;
  /** Standard error's ddof: 1 (default, sample std) or 0 (numpy's std, what the official RTA code reports). */
  ddof?: Ddof;
}

/**
 * Full-ranking evaluation of a collaborative model (EVAL.md): every item is a
 * candidate except the user's other-split items (train + valid at test,
 * train + test at valid) that are not targets; ties go to the lower item id;
 * users without targets are skipped; per-user values are kept in `perUnit`.
 */
export async function evaluateFullRanking(scorer: Scorer, split: CfSplit, options: FullRankingOptions): Promise<EvalResult> {
  const plan = planEvaluation(scorer, split, options);
  const { on, ks, metrics, sampled, blockSize } = plan;
  const targets = on === 'test' ? split.test : split.valid;
  const other = on === 'test' ? split.valid : split.test;
  const users = eligibleUsers(targets, options.users);
  const columns = metricColumns(metrics, ks, users.length);
  const accumulators = startAggregates(plan.aggregates, ks, split.train, split.nItems);
  const rank = blockRanker(scorer, plan, split, targets);
  const masks = new MaskBuilder(split.train, other, targets, blockSize);
  const record = blockRecorder(targets, ks, metrics, columns, accumulators);

  let runningSum = 0;
  const firstKey = columns.keys().next().value!;
  const task = (options.progress ?? silentProgress).start(`evaluate ${on}${sampled ? ' (sampled)' : ''}`, users.length, 'users');
  try {
    for (let start = 0; start < users.length; start += blockSize) {
      const block = users.subarray(start, Math.min(users.length, start + blockSize));
      record(start, block, await rank(block, masks.build(block)));
      runningSum += columns.get(firstKey)!.subarray(start, start + block.length).reduce((a, b) => a + b, 0);
      task.set({ [firstKey]: Number((runningSum / (start + block.length)).toFixed(4)) });
      task.tick(block.length);
    }
  } finally {
    task.end();
  }

  const { metrics: summaries, perUnit } = summarise(columns, plan.ddof);
  const result: EvalResult = { protocol: fullRankingProtocol(plan, split.nItems), n: users.length, metrics: summaries, perUnit, ids: Array.from(users) };
  if (accumulators.length) {
    result.aggregates = {};
    for (const { key, acc } of accumulators) result.aggregates[key] = acc.result();
  }
  return result;
}

/** One per-user column per metric@k, in metric-major order (the order results list them). */
function metricColumns(metrics: Metric[], ks: number[], nUnits: number): Map<string, Float64Array> {
  const columns = new Map<string, Float64Array>();
  for (const m of metrics) for (const k of ks) columns.set(`${m.name}@${k}`, new Float64Array(nUnits));
  return columns;
}

/** The top-maxK ids of a block of users, by the fastest path the scorer offers. */
function blockRanker(scorer: Scorer, plan: EvaluationPlan, split: CfSplit, targets: Csr) {
  const { factors, sampled, blockSize } = plan;
  const nItems = split.nItems;
  const maxK = plan.ks[plan.ks.length - 1];
  const dim = factors?.dim ?? 0;
  const userBuf = factors ? new Float32Array(blockSize * dim) : undefined;
  return async (block: Int32Array, mask: Csr): Promise<Int32Array> => {
    const rows = block.length;
    if (sampled) {
      const score = await sampledScorer(scorer, factors, block, nItems);
      return sampledTopK(block, mask, targets, nItems, maxK, sampled, score);
    }
    if (factors) {
      const u = userBuf!.subarray(0, rows * dim);
      for (let r = 0; r < rows; r++) u.set(factors.users.subarray(block[r] * dim, (block[r] + 1) * dim), r * dim);
      return scoreTopK({ users: u, itemsT: factors.itemsT, dim, nItems, k: maxK, exclude: mask }).ids;
    }
    const scores = await scorer.scoreBlock(block);
    if (scores.length !== rows * nItems) {
      throw new LmrecError('E_SHAPE', `scorer.scoreBlock returned ${scores.length} scores for ${rows} users x ${nItems} items`);
    }
    return topKBlock(scores, rows, nItems, maxK, { exclude: mask }).ids;
  };
}

type Accumulators = { key: string; k: number; acc: AggregateAccumulator }[];

/** Writes each user's per-metric values (and the list-level accumulators) from a block's top-K lists. */
function blockRecorder(targets: Csr, ks: number[], metrics: Metric[], columns: Map<string, Float64Array>, accumulators: Accumulators) {
  const maxK = ks[ks.length - 1];
  const isTarget = new Uint8Array(targets.nCols);
  const hits = new Uint8Array(maxK);
  const cols = [...columns.values()];
  return (start: number, block: Int32Array, topK: Int32Array): void => {
    for (let r = 0; r < block.length; r++) {
      const tRow = targets.row(block[r]);
      for (let t = 0; t < tRow.length; t++) isTarget[tRow[t]] = 1;
      const list = topK.subarray(r * maxK, (r + 1) * maxK);
      for (let p = 0; p < maxK; p++) hits[p] = list[p] >= 0 && isTarget[list[p]] ? 1 : 0;
      for (let t = 0; t < tRow.length; t++) isTarget[tRow[t]] = 0;
      let c = 0;
      for (const m of metrics) {
        for (const k of ks) cols[c++][start + r] = m.compute(hits.subarray(0, k), tRow.length, k, list.subarray(0, k));
      }
      for (const { k, acc } of accumulators) acc.add(list.subarray(0, k));
    }
  };
}

function eligibleUsers(targets: Csr, subset: ArrayLike<number> | undefined): Int32Array {
  const out: number[] = [];
  if (subset) {
    for (let i = 0; i < subset.length; i++) {
      const u = subset[i];
      if (!(Number.isInteger(u) && u >= 0 && u < targets.nRows)) {
        throw new LmrecError('E_RANGE', `user ${u} is outside [0, ${targets.nRows})`, { field: 'users' });
      }
      if (targets.degree(u) > 0) out.push(u);
    }
  } else {
    for (let u = 0; u < targets.nRows; u++) if (targets.degree(u) > 0) out.push(u);
  }
  return Int32Array.from(out);
}

function startAggregates(aggregates: AggregateMetric[], ks: number[], train: Csr, nItems: number): { key: string; k: number; acc: AggregateAccumulator }[] {
  if (aggregates.length === 0) return [];
  const popularity = new Float64Array(nItems);
  for (let p = 0; p < train.nnz; p++) popularity[train.indices[p]]++;
  const popularityRank = popularityRanks(popularity);
  const out: { key: string; k: number; acc: AggregateAccumulator }[] = [];
  for (const a of aggregates) {
    for (const k of ks) out.push({ key: `${a.name}@${k}`, k, acc: a.start({ nItems, k, popularity, popularityRank }) });
  }
  return out;
}

async function sampledScorer(scorer: Scorer, factors: Factors | undefined, block: Int32Array, nItems: number) {
  if (factors) {
    const { dim, users, itemsT } = factors;
    return (_row: number, user: number, items: Int32Array) => {
      const out = new Float32Array(items.length);
      for (let i = 0; i < items.length; i++) {
        let s = 0;
        for (let c = 0; c < dim; c++) s += users[user * dim + c] * itemsT[c * nItems + items[i]];
        out[i] = s;
      }
      return out;
    };
  }
  const scores = await scorer.scoreBlock(block);
  return (row: number, _user: number, items: Int32Array) => {
    const out = new Float32Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = scores[row * nItems + items[i]];
    return out;
  };
}
