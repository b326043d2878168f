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
import { popularityRanks, resolveAggregates, type AggregateAccumulator, type AggregateMetric } from './metrics/aggregate.js';
import { resolveMetrics } from './metrics/ranking.js';
import { MaskBuilder } from './mask.js';
import { sampledTopK, SAMPLED_WARNING, type SampledOptions } from './sampled.js';
import { checkDdof, standardErrorRule, summarise, type Ddof } from './stats.js';
import type { EvalResult } from './types.js';

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

export const DEFAULT_CF_KS = [10, 20, 50] as const;

/**
 * Full-ranking evaluation of a collaborative model (EVAL.md): every item is a
 * candidate except the user's other-split items (train + valid at test,
 * train + test at valid) that are not targets; ties go to the lower item id;
 * users without targets are skipped; per-user values are kept in `perUnit`.
 */
export async function evaluateFullRanking(scorer: Scorer, split: CfSplit, options: FullRankingOptions): Promise<EvalResult> {
  const on = options?.on;
  if (on !== 'valid' && on !== 'test') {
    throw new LmrecError('E_ARGUMENT', `evaluateFullRanking needs on: 'valid' | 'test', got ${String(on)}`, {
      field: 'on',
      hint: "use 'valid' for model selection and early stopping, 'test' once for the final numbers",
    });
  }
  const ddof = checkDdof(options.ddof);
  const nItems = split.nItems;
  if (scorer.nItems !== nItems) {
    throw new LmrecError('E_SHAPE', `scorer ranks ${scorer.nItems} items but the split has ${nItems}`);
  }
  for (const [name, part] of [['train', split.train], ['valid', split.valid], ['test', split.test]] as const) {
    if (part.nRows !== split.nUsers || part.nCols !== nItems) {
      throw new LmrecError('E_SHAPE', `split.${name} is ${part.nRows} x ${part.nCols}, expected ${split.nUsers} x ${nItems}`, { field: name });
    }
  }
  const ks = checkKs(options.ks ?? DEFAULT_CF_KS);
  const maxK = ks[ks.length - 1];
  const factors = scorer.factors?.();
  // the fused kernel never materialises the score block, so larger blocks only cost the mask and
  // the gathered user rows; they amortise the kernel's per-call setup (item matrix copy)
  const blockSize = options.blockSize ?? (factors && !options.sampled ? 4096 : 256);
  if (!(Number.isInteger(blockSize) && blockSize > 0)) {
    throw new LmrecError('E_ARGUMENT', `blockSize must be a positive integer, got ${blockSize}`, { field: 'blockSize' });
  }
  const metrics = resolveMetrics(options.metrics);
  const sampled = options.sampled;
  const aggregates = options.aggregates === false || sampled ? [] : resolveAggregates(options.aggregates);

  const targets = on === 'test' ? split.test : split.valid;
  const other = on === 'test' ? split.valid : split.test;
  const users = eligibleUsers(targets, options.users);
  const nUnits = users.length;

  const keys: string[] = [];
  const columns = new Map<string, Float64Array>();
  for (const m of metrics) {
    for (const k of ks) {
      const key = `${m.name}@${k}`;
      keys.push(key);
      columns.set(key, new Float64Array(nUnits));
    }
  }
  const accumulators = startAggregates(aggregates, ks, split.train, nItems);

  if (factors && (factors.itemsT.length !== factors.dim * nItems || factors.users.length < split.nUsers * factors.dim)) {
    throw new LmrecError('E_SHAPE', `scorer.factors(): users ${factors.users.length} / itemsT ${factors.itemsT.length} do not fit dim ${factors.dim}, ${split.nUsers} users, ${nItems} items`);
  }
  const dim = factors?.dim ?? 0;
  const userBuf = factors ? new Float32Array(blockSize * dim) : undefined;
  const masks = new MaskBuilder(split.train, other, targets, blockSize);
  const isTarget = new Uint8Array(nItems);
  const hits = new Uint8Array(maxK);

  let runningSum = 0;
  const task = (options.progress ?? silentProgress).start(`evaluate ${on}${sampled ? ' (sampled)' : ''}`, nUnits, 'users');
  try {
    for (let start = 0; start < nUnits; start += blockSize) {
      const block = users.subarray(start, Math.min(nUnits, start + blockSize));
      const rows = block.length;
      const mask = masks.build(block);
      let topK: Int32Array;
      if (sampled) {
        const score = await sampledScorer(scorer, factors, block, nItems);
        topK = sampledTopK(block, mask, targets, nItems, maxK, sampled, score);
      } else if (factors) {
        const u = userBuf!.subarray(0, rows * dim);
        for (let r = 0; r < rows; r++) u.set(factors.users.subarray(block[r] * dim, (block[r] + 1) * dim), r * dim);
        topK = scoreTopK({ users: u, itemsT: factors.itemsT, dim, nItems, k: maxK, exclude: mask }).ids;
      } else {
        const scores = await scorer.scoreBlock(block);
        if (scores.length !== rows * nItems) {
          throw new LmrecError('E_SHAPE', `scorer.scoreBlock returned ${scores.length} scores for ${rows} users x ${nItems} items`);
        }
        topK = topKBlock(scores, rows, nItems, maxK, { exclude: mask }).ids;
      }

      for (let r = 0; r < rows; r++) {
        const unit = start + r;
        const tRow = targets.row(block[r]);
        for (let t = 0; t < tRow.length; t++) isTarget[tRow[t]] = 1;
        const list = topK.subarray(r * maxK, (r + 1) * maxK);
        for (let p = 0; p < maxK; p++) hits[p] = list[p] >= 0 && isTarget[list[p]] ? 1 : 0;
        for (let t = 0; t < tRow.length; t++) isTarget[tRow[t]] = 0;
        let c = 0;
        for (const m of metrics) {
          for (const k of ks) columns.get(keys[c++])![unit] = m.compute(hits.subarray(0, k), tRow.length, k, list.subarray(0, k));
        }
        for (const { k, acc } of accumulators) acc.add(list.subarray(0, k));
      }
      const first = columns.get(keys[0])!;
      runningSum += first.subarray(start, start + rows).reduce((a, b) => a + b, 0);
      task.set({ [keys[0]]: Number((runningSum / (start + rows)).toFixed(4)) });
      task.tick(rows);
    }
  } finally {
    task.end();
  }

  const { metrics: summaries, perUnit } = summarise(columns, ddof);
  const result: EvalResult = {
    protocol: {
      kind: sampled ? 'sampled' : 'full-ranking',
      on,
      ks: [...ks],
      nItems,
      candidates: sampled ? `targets + ${sampled.negatives} sampled negatives per target` : 'all items',
      masked: on === 'test' ? 'train + valid items, except test targets' : 'train + test items, except valid targets',
      users: 'users with at least one target',
      tieBreak: 'score descending, ties to the lower item id',
      ndcg: 'IDCG over min(|T|, K) positions',
      precision: 'hits / K',
      standardError: standardErrorRule(ddof),
      ddof,
      metrics: metrics.map((m) => m.name),
      aggregates: sampled ? 'not computed under sampling' : aggregates.map((a) => a.name),
      scoring: sampled ? 'candidates only' : factors ? 'factors + scoreTopK' : 'scoreBlock + topKBlock',
      sampled: Boolean(sampled),
      ...(sampled ? { negativesPerTarget: sampled.negatives, seed: sampled.seed ?? 0, warning: SAMPLED_WARNING } : {}),
    },
    n: nUnits,
    metrics: summaries,
    perUnit,
    ids: Array.from(users),
  };
  if (accumulators.length) {
    result.aggregates = {};
    for (const { key, acc } of accumulators) result.aggregates[key] = acc.result();
  }
  return result;
}

export function checkKs(ks: readonly number[]): number[] {
  if (ks.length === 0) throw new LmrecError('E_ARGUMENT', 'ks is empty', { field: 'ks' });
  for (const k of ks) {
    if (!(Number.isInteger(k) && k > 0)) throw new LmrecError('E_ARGUMENT', `every K must be a positive integer, got ${k}`, { field: 'ks' });
  }
  return [...new Set(ks)].sort((a, b) => a - b);
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

type Factors = { dim: number; users: Float32Array; itemsT: Float32Array };

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
