import { REINDEX_ROW, rtaVariantNames } from '@lmrec/adapt';
import type { RunConfig } from '../config/schema.js';
import { aggregatorUse } from '../config/sections.js';
import type { AggregatorRef, AggregatorRun, RtaStudy } from '../config/study.js';

/** A table row a config asks for, before anything runs. */
export interface PlannedRow {
  /** The row's label in tables (undefined when it depends on the data, e.g. zero-shot's source names). */
  label?: string;
  /** The name the config gives it (a models label, an encoder label, ...): `eval.baseline` may use either. */
  source: string;
  /** Config entry that makes the row (for messages), e.g. "models.2". */
  field: string;
  /** When the row exists only under a condition the data decides. */
  when?: string;
}

/** The rows of one aggregator's comparison: its own variants, else the study's, else the ablation's (Reindex always). */
export function aggregatorVariants(study: RtaStudy, a: AggregatorRun): string[] {
  const own = typeof a === 'object' && 'variants' in a ? a.variants : undefined;
  return rtaVariants(own ? { ...study, variants: own } : study, AGGREGATOR_ABLATION_ROWS);
}

const modelLabel = (m: RunConfig['models'][number]) => m.label ?? m.name;

export const aggregatorLabel = (ref: AggregatorRef) => (typeof ref === 'object' && ref.label) || aggregatorUse(ref).name;

/** The rows of an RTA comparison: the study's variants (Reindex always), or every row for its recommenders. */
export function rtaVariants(study: RtaStudy, fallback?: readonly string[]): string[] {
  const names = rtaVariantNames(study.recommenders ? Object.keys(study.recommenders) : undefined);
  // CRS rows (study.crs) come right after the backbone's zero-shot row, as the comparison runs them.
  const at = names.indexOf('Zero-shot (sum)') + 1;
  const all = [...names.slice(0, at), ...Object.keys(study.crs ?? {}), ...names.slice(at)];
  const wanted = study.variants ?? fallback ?? all;
  return all.filter((name) => wanted.includes(name) || name === REINDEX_ROW);
}

export const AGGREGATOR_ABLATION_ROWS = [REINDEX_ROW, '+Bias b (trainable agg.)'];

/** Every row the config's experiment will produce, in order. */
export function plannedRows(config: RunConfig): PlannedRow[] {
  const study = config.study as RtaStudy & { alphas?: number[]; transfer?: string };
  const models = config.models.map((m, i) => ({ label: modelLabel(m), source: modelLabel(m), field: `models.${i}` }));
  switch (config.experiment) {
    case 'cf':
      return models;
    case 'linear-mapping':
      return [
        ...models,
        { label: 'Linear: dataset vectors', source: 'dataset vectors', field: 'dataset', when: 'if the dataset ships item vectors' },
        ...config.encoders.map((e, i) => ({ label: `Linear: ${e.label ?? e.name}`, source: e.label ?? e.name, field: `encoders.${i}` })),
      ];
    case 'zero-shot': {
      const transfer = study.transfer ?? models[0]?.source;
      return models.map((m) => (m.source === transfer ? { ...m, label: undefined } : { ...m, label: `${m.source} (trained on target)` }));
    }
    case 'intention':
      return (study.alphas ?? []).map((a, i) => ({ label: `alpha = ${a}`, source: `alpha = ${a}`, field: `study.alphas.${i}` }));
    case 'rta':
      return rtaVariants(study).map((v) => ({ label: v, source: v, field: 'study.variants' }));
    case 'rta-aggregators': {
      return (study.aggregators ?? []).flatMap((a, i) => aggregatorVariants(study, a).map((v) => ({ label: `${v} [${aggregatorLabel(a)}]`, source: `${v} [${aggregatorLabel(a)}]`, field: `study.aggregators.${i}` })));
    }
  }
}
