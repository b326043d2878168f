import { LmrecError, type CfSplit, type Metric, type Scorer } from '@lmrec/core';
import { resolveAggregates, type AggregateMetric } from './metrics/aggregate.js';
import { resolveMetrics } from './metrics/ranking.js';
import { SAMPLED_WARNING, type SampledOptions } from './sampled.js';
import { checkDdof, standardErrorRule, type Ddof } from './stats.js';
import type { EvalResult } from './types.js';
import type { FullRankingOptions } from './full-ranking.js';

export const DEFAULT_CF_KS = [10, 20, 50] as const;

export type Factors = { dim: number; users: Float32Array; itemsT: Float32Array };

export interface EvaluationPlan {
  on: 'valid' | 'test';
  ks: number[];
  ddof: Ddof;
  blockSize: number;
  factors: Factors | undefined;
  metrics: Metric[];
  sampled: SampledOptions | undefined;
  aggregates: AggregateMetric[];
}

/** Every option checked and defaulted, and the scorer's shapes checked against the split, before any scoring. */
export function planEvaluation(scorer: Scorer, split: CfSplit, options: FullRankingOptions): EvaluationPlan {
  const on = options?.on;
  if (on !== 'valid' && on !== 'test') {
    throw new LmrecError('E_ARGUMENT', `evaluateFullRanking needs on: 'valid' | 'test', got ${String(on)}`, {
      field: 'on',
      hint: "use 'valid' for model selection and early stopping, 'test' once for the final numbers",
    });
  }
  const ddof = checkDdof(options.ddof);
  checkSplitShapes(scorer, split);
  const ks = checkKs(options.ks ?? DEFAULT_CF_KS);
  const factors = scorer.factors?.();
  // the fused kernel never materialises the score block, so larger blocks only cost the mask and
  // the gathered user rows; they amortise the kernel's per-call setup (item matrix copy)
  const blockSize = options.blockSize ?? (factors && !options.sampled ? 4096 : 256);
  if (!(Number.isInteger(blockSize) && blockSize > 0)) {
    throw new LmrecError('E_ARGUMENT', `blockSize must be a positive integer, got ${blockSize}`, { field: 'blockSize' });
  }
  if (factors && (factors.itemsT.length !== factors.dim * split.nItems || factors.users.length < split.nUsers * factors.dim)) {
    throw new LmrecError('E_SHAPE', `scorer.factors(): users ${factors.users.length} / itemsT ${factors.itemsT.length} do not fit dim ${factors.dim}, ${split.nUsers} users, ${split.nItems} items`);
  }
  const sampled = options.sampled;
  const aggregates = options.aggregates === false || sampled ? [] : resolveAggregates(options.aggregates);
  return { on, ks, ddof, blockSize, factors, metrics: resolveMetrics(options.metrics), sampled, aggregates };
}

function checkSplitShapes(scorer: Scorer, split: CfSplit): void {
  const nItems = split.nItems;
  if (scorer.nItems !== nItems) {
    throw new LmrecError('E_SHAPE', `scorer ranks ${scorer.nItems} items but the split has ${nItems}`);
  }
  for (const [name, part] of [['train', split.train], ['valid', split.valid], ['test', split.test]] as const) {
    if (part.nRows !== split.nUsers || part.nCols !== nItems) {
      throw new LmrecError('E_SHAPE', `split.${name} is ${part.nRows} x ${part.nCols}, expected ${split.nUsers} x ${nItems}`, { field: name });
    }
  }
}

export function fullRankingProtocol(plan: EvaluationPlan, nItems: number): EvalResult['protocol'] {
  const { on, sampled, factors, ddof } = plan;
  return {
    kind: sampled ? 'sampled' : 'full-ranking',
    on,
    ks: [...plan.ks],
    nItems,
    candidates: sampled ? `targets + ${sampled.negatives} sampled negatives per target` : 'all items',
    masked: on === 'test' ? 'train + valid items, except test targets' : 'train + test items, except valid targets',
    users: 'users with at least one target',
    tieBreak: 'score descending, ties to the lower item id',
    ndcg: 'IDCG over min(|T|, K) positions',
    precision: 'hits / K',
    standardError: standardErrorRule(ddof),
    ddof,
    metrics: plan.metrics.map((m) => m.name),
    aggregates: sampled ? 'not computed under sampling' : plan.aggregates.map((a) => a.name),
    scoring: sampled ? 'candidates only' : factors ? 'factors + scoreTopK' : 'scoreBlock + topKBlock',
    sampled: Boolean(sampled),
    ...(sampled ? { negativesPerTarget: sampled.negatives, seed: sampled.seed ?? 0, warning: SAMPLED_WARNING } : {}),
  };
}

export function checkKs(ks: readonly number[]): number[] {
  if (ks.length === 0) throw new LmrecError('E_ARGUMENT', 'ks is empty', { field: 'ks' });
  for (const k of ks) {
    if (!(Number.isInteger(k) && k > 0)) throw new LmrecError('E_ARGUMENT', `every K must be a positive integer, got ${k}`, { field: 'ks' });
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}
