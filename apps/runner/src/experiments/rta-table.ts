import { REINDEX_ROW, type RtaComparisonResult, type RtaVariantResult } from '@lmrec/adapt';
import type { EvalResult } from '@lmrec/eval';
import type { ExperimentResult, ModelRow } from '../report/types.js';
import { bestEpoch } from './cf-row.js';

export const rtaMetricKeys = (ks: readonly number[]) => ks.flatMap((k) => [`hit@${k}`, `ndcg@${k}`]);

function rowOf(result: RtaComparisonResult, v: RtaVariantResult, test: EvalResult, label = v.name): ModelRow {
  const { k, ...diagnostics } = v.diagnostics;
  const log = v.training?.log ?? [];
  // Adapt rows report their best epoch with 0 = the untrained model; the reindex step reports its own training.
  const best =
    v.kind === 'reindex'
      ? bestEpoch(result.reindexTraining.bestEpoch, result.reindexTraining.epochs, { initialIsZero: true })
      : v.training
        ? bestEpoch(v.training.bestEpoch, log.length, { initialIsZero: true })
        : undefined;
  return {
    label,
    source: v.name,
    metrics: test.metrics,
    perUnit: test.perUnit,
    curve: log.length ? log.map((l, i) => ({ epoch: i + 1, loss: l.loss, ...(l.valid === undefined ? {} : { 'hit@10': l.valid }) })) : undefined,
    popularity: Object.fromEntries(Object.entries(diagnostics).map(([name, value]) => [`${name}@${k}`, value])),
    epochs: v.kind === 'reindex' ? result.reindexTraining.epochs : v.training?.log.length,
    seconds: v.seconds,
    extra: v.gate === undefined ? {} : { gate: v.gate },
    best,
  };
}

/** The rows of a comparison; `step` is the comparison's key and resolved config (every row depends on all of it). */
export function rtaRows(result: RtaComparisonResult, pick: (v: RtaVariantResult) => EvalResult | undefined, label?: (v: RtaVariantResult) => string, step?: ModelRow['step']): ModelRow[] {
  return result.variants.flatMap((v) => {
    const test = pick(v);
    return test ? [{ ...rowOf(result, v, test, label?.(v)), ...(step ? { step } : {}) }] : [];
  });
}

export function rtaTable(result: RtaComparisonResult, ks: readonly number[], title: string, pick: (v: RtaVariantResult) => EvalResult | undefined, note: string, baseline = REINDEX_ROW, step?: ModelRow['step']): ExperimentResult {
  return {
    title,
    kind: 'rta',
    metricKeys: rtaMetricKeys(ks),
    mainMetric: 'hit@10',
    baseline,
    rows: rtaRows(result, pick, undefined, step),
    protocol: { ...result.variants[0]?.test.protocol, dataset: result.dataset, backbone: result.backbone, aggregator: result.aggregator, reindexTraining: result.reindexTraining },
    notes: [note, `backbone: ${result.backbone}`],
  };
}
