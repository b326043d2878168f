import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEPS, LmrecError, type CfSplit, type PluginRegistry, type ProgressReporter, type Recommender, type TextEncoder } from '@lmrec/core';
import { loadSplit } from '@lmrec/datasets';
import { validateConfig } from '../config/load.js';
import type { RunConfig } from '../config/schema.js';
import { startBackend } from '../backend.js';
import { assemble } from '../container.js';
import { createContext, modelDir, type DepSource, type ExperimentContext } from '../context.js';
import { splitDir } from '../experiments/data.js';
import type { EncoderSpec } from '../experiments/vectors.js';
import { planRun } from '../plan/plan.js';
import { isRunFolder, readMarker } from '../run/output.js';

/** What a run saved beside a model (experiments/cf-row.ts). */
export interface RowRecord {
  label: string;
  field: string;
  plugin: { point: 'Recommender'; name: string };
  options: Record<string, unknown>;
  deps: { [token: string]: unknown; 'lmrec.dep.TextEncoder'?: EncoderSpec };
}

export interface SavedRun {
  dir: string;
  config: RunConfig;
  ctx: ExperimentContext;
  registry: PluginRegistry;
  /** Labels of the models the run saved. */
  labels: string[];
  /** How each saved model was made, by label. */
  records: Map<string, RowRecord>;
  /** A saved model by its row label; `withEncoder` rebuilds the text encoder it was trained with (for intentions). */
  model(label: string, options?: { withEncoder?: boolean }): Promise<Recommender>;
  /** The split the run trained and tested on, from the run folder. */
  split(field?: string): Promise<CfSplit>;
  /** Item titles of the run's dataset (undefined when it has none). */
  titles(field?: string): Promise<string[] | undefined>;
}

export interface OpenOptions {
  progress: ProgressReporter;
  /** Import the plugin packages the run's config names (their code runs). */
  allowPlugins?: boolean;
}

/**
 * A finished run folder, read as data: its config, split, titles and saved
 * models. Plugin packages named in it are not imported (their code would
 * run) unless `allowPlugins`.
 */
export async function openRun(dirArg: string, options: OpenOptions): Promise<SavedRun> {
  const dir = resolve(dirArg);
  const file = join(dir, 'config.json');
  if (!existsSync(file) || !isRunFolder(dir)) throw new LmrecError('E_ARGUMENT', `${dir} is not an lmrec run folder (no config.json)`, { hint: 'give the folder `lmrec run` wrote' });
  const config = validateConfig(JSON.parse(await fs.readFile(file, 'utf8')), file);
  if (config.plugins.length && !options.allowPlugins) {
    throw new LmrecError('E_PLUGINS_NOT_ALLOWED', `${dir} was made with plugin packages (${config.plugins.join(', ')}); reading it would import and run their code`, {
      hint: 'pass --allow-plugins if you trust them',
    });
  }
  const marker = await readMarker(dir);
  const { registry } = await assemble(options.allowPlugins ? config.plugins : [], marker?.pluginsFrom ?? dir);
  planRun(config, registry, { file });
  await startBackend(registry, config.backend);
  const ctx = createContext({ config, file, outDir: dir, registry, progress: options.progress });
  const records = await rowRecords(dir, config);
  return {
    dir,
    config,
    ctx,
    registry,
    labels: [...records.keys()],
    records,
    model: (label, o = {}) => savedModel(ctx, records, label, o.withEncoder ?? false),
    split: (field = 'dataset') =>
      loadSplit(splitDir(dir, field)).catch(() => {
        throw new LmrecError('E_STATE', `${dir} holds no saved split for ${field}`, { hint: 'runs made before lmrec saved splits: run the config again into this folder' });
      }),
    titles: async (field = 'dataset') => (await items(dir, field)).titles ?? undefined,
  };
}

async function items(dir: string, field: string): Promise<{ titles?: string[] | null }> {
  try {
    return JSON.parse(await fs.readFile(join(splitDir(dir, field), 'items.json'), 'utf8'));
  } catch {
    return {};
  }
}

/** Every saved model with the record of how it was made (older runs: the config's models rows that have a saved folder). */
async function rowRecords(dir: string, config: RunConfig): Promise<Map<string, RowRecord>> {
  const out = new Map<string, RowRecord>();
  const root = join(dir, 'models');
  for (const entry of existsSync(root) ? await fs.readdir(root) : []) {
    const file = join(root, entry, 'lmrec-row.json');
    if (existsSync(file)) {
      const record = JSON.parse(await fs.readFile(file, 'utf8')) as RowRecord;
      out.set(record.label, record);
    }
  }
  config.models.forEach((m, i) => {
    const label = m.label ?? m.name;
    if (!out.has(label) && existsSync(modelDir(dir, label))) out.set(label, { label, field: `models.${i}`, plugin: { point: 'Recommender', name: m.name }, options: m.options, deps: {} });
  });
  // In the config's order (models.0 first), so "the first model" is the config's first.
  const order = (r: RowRecord) => Number(/^models\.(\d+)$/.exec(r.field)?.[1] ?? Infinity);
  return new Map([...out].sort(([a, ra], [b, rb]) => order(ra) - order(rb) || (a < b ? -1 : 1)));
}

async function savedModel(ctx: ExperimentContext, records: Map<string, RowRecord>, label: string, withEncoder: boolean): Promise<Recommender> {
  const record = records.get(label);
  if (!record) {
    const labels = [...records.keys()];
    throw new LmrecError('E_ARGUMENT', `no saved model "${label}" in ${ctx.outDir}`, { field: 'model', hint: labels.length ? `saved: ${labels.join(', ')}` : 'this run saved no models' });
  }
  const deps: DepSource[] = [];
  const spec = record.deps['lmrec.dep.TextEncoder'];
  if (withEncoder && spec) deps.push({ token: DEPS.TextEncoder, get: () => rebuildEncoder(ctx, spec) });
  const model = await ctx.create<Recommender>('Recommender', { name: record.plugin.name, options: record.options }, record.field, deps);
  await model.load(modelDir(ctx.outDir, label));
  return model;
}

/** The encoder a row was trained with, from its recorded plugin spec, fitted on the same titles. */
async function rebuildEncoder(ctx: ExperimentContext, spec: EncoderSpec): Promise<TextEncoder> {
  const encoder = await ctx.create<TextEncoder>('TextEncoder', { name: spec.name, options: spec.options }, 'encoder');
  const titles = (JSON.parse(await fs.readFile(join(ctx.outDir, spec.fittedOn), 'utf8')) as { titles?: string[] }).titles ?? [];
  await encoder.fit?.(titles);
  return encoder;
}
