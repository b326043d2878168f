import { DEPS, type CrsModel, type TextEncoder } from '@lmrec/core';
import type { CrsRowRef } from '../config/crs.js';
import type { RtaStudy } from '../config/study.js';
import type { ExperimentContext } from '../context.js';

const field = (label: string) => `study.crs.${label}`;

/** What each CRS row's results depend on: its plugin and encoder (name, version, options with defaults). */
export async function crsMaterial(ctx: ExperimentContext, study: RtaStudy): Promise<Record<string, unknown> | undefined> {
  if (!study.crs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [label, ref] of Object.entries(study.crs)) {
    out[label] = {
      model: await ctx.material('CrsModel', { name: ref.plugin, options: ref.options }, field(label)),
      encoder: ref.encoder ? await ctx.material('TextEncoder', ref.encoder, `${field(label)}.encoder`) : null,
    };
  }
  return out;
}

async function crsModel(ctx: ExperimentContext, label: string, ref: CrsRowRef): Promise<CrsModel> {
  const encoder = ref.encoder ? await ctx.create<TextEncoder>('TextEncoder', ref.encoder, `${field(label)}.encoder`) : undefined;
  const deps: [symbol, unknown][] = encoder ? [[DEPS.TextEncoder, encoder]] : [];
  return ctx.createWith<CrsModel>('CrsModel', { name: ref.plugin, options: ref.options }, field(label), deps);
}

/** The config's CRS rows (`study.crs`), built: row label -> CrsModel. */
export async function crsModelsOf(ctx: ExperimentContext, study: RtaStudy): Promise<Record<string, CrsModel> | undefined> {
  if (!study.crs) return undefined;
  const out: Record<string, CrsModel> = {};
  for (const [label, ref] of Object.entries(study.crs)) out[label] = await crsModel(ctx, label, ref);
  return out;
}
