import type { ExtensionPoint } from '@lmrec/core';
import type { RunConfig } from './schema.js';
import type { AggregatorRef, GatingRef } from './study.js';

/** One plugin named in a config: where (dotted field of its options' owner), which extension point, name and raw options. */
export interface PluginSection {
  field: string;
  point: ExtensionPoint;
  name: string;
  options: Record<string, unknown>;
  /** Dotted field holding the name (for an unknown name). */
  nameField: string;
  /** Write options back (path resolution). */
  set(options: Record<string, unknown>): void;
}

export const DEFAULT_AGGREGATOR = { name: 'weighted', options: { linearInit: 'identity' } };
export const DEFAULT_BACKBONE = { name: 'lexical', options: {} };

export function aggregatorUse(ref: AggregatorRef | undefined): { name: string; options: Record<string, unknown> } {
  if (ref === undefined) return DEFAULT_AGGREGATOR;
  return typeof ref === 'string' ? { name: ref, options: {} } : { name: ref.name, options: ref.options ?? {} };
}

export function gatingUse(ref: GatingRef): { name: string; options: Record<string, unknown> } {
  return typeof ref === 'string' ? { name: ref, options: {} } : { name: ref.plugin, options: ref.options ?? {} };
}

type Obj = Record<string, unknown>;

/** Every plugin a config names, in a fixed order, as sections that can be validated and rewritten. */
export function pluginSections(config: RunConfig): PluginSection[] {
  const out: PluginSection[] = [];
  const add = (field: string, point: ExtensionPoint, owner: Obj, nameKey: string) => {
    if (typeof owner[nameKey] !== 'string') return;
    out.push({ field, point, name: owner[nameKey] as string, nameField: `${field}.${nameKey}`, options: (owner.options as Obj) ?? {}, set: (o) => (owner.options = o) });
  };
  add('dataset', 'DatasetLoader', config.dataset, 'loader');
  config.datasets.forEach((d, i) => add(`datasets.${i}`, 'DatasetLoader', d, 'loader'));
  if (config.encoder) add('encoder', 'TextEncoder', config.encoder, 'name');
  config.encoders.forEach((e, i) => add(`encoders.${i}`, 'TextEncoder', e, 'name'));
  if (config.backbone) add('backbone', 'Backbone', config.backbone, 'name');
  config.models.forEach((m, i) => add(`models.${i}`, 'Recommender', m, 'name'));
  const study = config.study as Obj;
  if (study.mapping && typeof study.mapping === 'object') add('study.mapping', 'Recommender', study.mapping as Obj, 'name');
  const aggregator = (field: string, ref: unknown) => {
    if (ref && typeof ref === 'object') add(field, 'Aggregator', ref as Obj, 'name');
    else if (typeof ref === 'string') out.push({ field, point: 'Aggregator', name: ref, nameField: field, options: {}, set: () => {} });
  };
  if (study.aggregator !== undefined) aggregator('study.aggregator', study.aggregator);
  if (Array.isArray(study.aggregators)) study.aggregators.forEach((a, i) => aggregator(`study.aggregators.${i}`, a));
  for (const [label, ref] of Object.entries((study.recommenders as Record<string, GatingRef> | undefined) ?? {})) {
    if (typeof ref === 'string') out.push({ field: `study.recommenders.${label}`, point: 'GatingRecommender', name: ref, nameField: `study.recommenders.${label}`, options: {}, set: () => {} });
    else add(`study.recommenders.${label}`, 'GatingRecommender', ref as unknown as Obj, 'plugin');
  }
  for (const [label, ref] of Object.entries((study.crs as Record<string, Obj> | undefined) ?? {})) {
    add(`study.crs.${label}`, 'CrsModel', ref, 'plugin');
    if (ref.encoder && typeof ref.encoder === 'object') add(`study.crs.${label}.encoder`, 'TextEncoder', ref.encoder as Obj, 'name');
  }
  return out;
}
