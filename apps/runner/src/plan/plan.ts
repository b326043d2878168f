import { LmrecError, suggestKey, type PluginRegistry } from '@lmrec/core';
import type { RunConfig } from '../config/schema.js';
import { aggregatorUse, DEFAULT_BACKBONE, pluginSections } from '../config/sections.js';
import type { RtaStudy } from '../config/study.js';
import { safeName } from '../context.js';
import { plannedRows, rtaVariants, type PlannedRow } from './labels.js';
import { checkSections } from './usage.js';

export interface PlanSite {
  file: string;
  lineOf?: (dotted: string) => number | undefined;
}

/**
 * Everything that can be checked before any work: every section the kind
 * reads and none it ignores, every plugin named and its options against the
 * plugin's schema (defaults, types, did-you-mean with the YAML line), unique
 * row labels, a baseline that names a row, a known selection metric.
 */
export function planRun(config: RunConfig, registry: PluginRegistry, site: PlanSite): PlannedRow[] {
  checkSections(config, site.file, site.lineOf);
  const optionSite = (field: string) => ({ field, file: site.file, lineOf: site.lineOf });
  for (const section of pluginSections(config)) {
    try {
      registry.get(section.point, section.name);
    } catch (error) {
      throw relocate(error, site, section.nameField);
    }
    registry.parseOptions(section.point, section.name, section.options, optionSite(`${section.field}.options`));
  }
  if (config.experiment === 'rta' || config.experiment === 'rta-aggregators') checkRta(config, registry, site);
  if (config.eval.metric) checkMetric(config.eval.metric, registry, site);
  const rows = plannedRows(config);
  checkUnique(rows, site);
  checkRowRefs(config, rows, site);
  return rows;
}

function relocate(error: unknown, site: PlanSite, field: string): unknown {
  if (!(error instanceof LmrecError)) return error;
  return new LmrecError(error.code, error.detail, { file: site.file, field, line: site.lineOf?.(field), hint: error.hint });
}

function checkRta(config: RunConfig, registry: PluginRegistry, site: PlanSite): void {
  const study = config.study as RtaStudy;
  const backbone = config.backbone ?? DEFAULT_BACKBONE;
  registry.parseOptions('Backbone', backbone.name, backbone.options, { field: 'backbone.options', file: site.file, lineOf: site.lineOf });
  if (config.experiment === 'rta') {
    const agg = aggregatorUse(study.aggregator);
    registry.parseOptions('Aggregator', agg.name, agg.options, { field: 'study.aggregator.options', file: site.file, lineOf: site.lineOf });
  }
  const known = rtaVariants({ ...study, variants: undefined });
  for (const [i, name] of (study.variants ?? []).entries()) {
    if (!known.includes(name)) {
      const guess = suggestKey(name, known);
      throw new LmrecError('E_CONFIG', `unknown comparison row "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
        file: site.file,
        field: `study.variants.${i}`,
        line: site.lineOf?.(`study.variants.${i}`),
        hint: `rows: ${known.join(', ')}`,
      });
    }
  }
}

function checkMetric(metric: string, registry: PluginRegistry, site: PlanSite): void {
  const family = metric.split('@')[0];
  const known = registry.names('Metric');
  if (known.includes(family)) return;
  const guess = suggestKey(family, known);
  throw new LmrecError('E_CONFIG', `no metric "${family}"${guess ? ` (did you mean "${guess}@${metric.split('@')[1]}"?)` : ''}`, {
    file: site.file,
    field: 'eval.metric',
    line: site.lineOf?.('eval.metric'),
    hint: `metrics: ${known.join(', ')}`,
  });
}

function checkUnique(rows: PlannedRow[], site: PlanSite): void {
  const seen = new Map<string, PlannedRow>();
  for (const row of rows) {
    const name = safeName(row.source);
    const earlier = seen.get(name);
    if (earlier) {
      const lines = [site.lineOf?.(earlier.field), site.lineOf?.(row.field)];
      const same = earlier.source === row.source ? `the same label "${row.source}"` : `labels "${earlier.source}" and "${row.source}", which share the file name "${name}"`;
      throw new LmrecError('E_CONFIG', `${earlier.field}${lines[0] ? ` (line ${lines[0]})` : ''} and ${row.field}${lines[1] ? ` (line ${lines[1]})` : ''} have ${same}: every row needs its own label`, {
        file: site.file,
        field: `${row.field}.label`,
        line: lines[1],
        hint: 'give one of them a different "label"',
      });
    }
    seen.set(name, row);
  }
}

function checkRowRefs(config: RunConfig, rows: PlannedRow[], site: PlanSite): void {
  const study = config.study as { transfer?: string; model?: string };
  const models = config.models.map((m) => m.label ?? m.name);
  for (const key of ['transfer', 'model'] as const) {
    const label = study[key];
    if (label !== undefined && !models.includes(label)) throw unknownRow(`study.${key}`, label, models, site);
  }
  const baseline = config.eval.baseline;
  if (baseline === undefined) return;
  const names = [...new Set(rows.flatMap((r) => (r.label ? [r.label, r.source] : [r.source])))];
  if (!names.includes(baseline)) throw unknownRow('eval.baseline', baseline, names, site);
}

function unknownRow(field: string, label: string, labels: string[], site: PlanSite): LmrecError {
  const guess = suggestKey(label, labels);
  return new LmrecError('E_CONFIG', `"${label}" names no row of this experiment${guess ? ` (did you mean "${guess}"?)` : ''}`, {
    file: site.file,
    field,
    line: site.lineOf?.(field),
    hint: `rows: ${labels.join(', ')}`,
  });
}
