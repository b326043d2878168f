import { z } from 'zod';

const options = z.record(z.string(), z.unknown()).default({}).describe("the plugin's options (checked against its schema: `lmrec plugins <name>`)");

/** A plugin reference in a config: its registered name, options, and the row label it gets in tables. */
export const pluginRef = z.strictObject({
  name: z.string().min(1).describe('registered plugin name'),
  /** Row label where the plugin names a table row (e.g. an encoder of the linear-mapping study). */
  label: z.string().min(1).optional(),
  options,
});

const split = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('given') }),
  z.strictObject({ kind: z.literal('ratio'), ratios: z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]).default([0.8, 0.1, 0.1]) }),
  z.strictObject({ kind: z.literal('leave-one-out') }),
  z.strictObject({ kind: z.literal('temporal'), validFrom: z.number(), testFrom: z.number() }),
]);

export const datasetSchema = z.strictObject({
  /** DatasetLoader plugin name, e.g. "alpharec", "movielens", "redial-sample". */
  loader: z.string().min(1),
  options,
  /** k-core filter applied before splitting (iterated to a fixed point). */
  filter: z.strictObject({ user: z.number().int().nonnegative().default(0), item: z.number().int().nonnegative().default(0) }).optional(),
  split: split.default({ kind: 'given' }),
});

const model = z.strictObject({
  /** Plugin name (a Recommender). */
  name: z.string().min(1),
  /** Row label in tables; defaults to the name. Unique within the config. */
  label: z.string().min(1).optional(),
  options,
});

const trainer = z.strictObject({
  epochs: z.number().int().positive().optional(),
  evalEvery: z.number().int().positive().optional(),
  patience: z.number().int().nonnegative().optional(),
  batchSize: z.number().int().positive().optional(),
  checkpointEvery: z.number().int().positive().optional(),
});

const evaluation = z.strictObject({
  ks: z.array(z.number().int().positive()).nonempty().optional(),
  /** Metric used for model selection and significance, e.g. "recall@20". */
  metric: z.string().regex(/^[a-z]+@\d+$/, 'expected a metric name and a cut-off, e.g. "recall@20"').optional(),
  excludeMentioned: z.boolean().optional(),
  /** Row label that paired significance tests compare against (defaults to the first row). */
  baseline: z.string().min(1).optional(),
});

const search = z.strictObject({
  method: z.enum(['grid', 'random']).default('grid'),
  trials: z.number().int().positive().optional(),
  /** Dotted config keys (e.g. "models.0.options.lr") -> candidate values. */
  space: z.record(z.string().min(1), z.array(z.unknown()).nonempty()),
});

export const EXPERIMENT_KINDS = ['cf', 'rta', 'rta-aggregators', 'linear-mapping', 'zero-shot', 'intention'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

export const configSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().default(2024),
  /** Output folder; relative paths resolve from the config file's folder. */
  output: z.string().min(1).optional(),
  /** Extra plugin packages or module paths to load into the container. */
  plugins: z.array(z.string().min(1)).default([]),
  /** A TensorBackend plugin name (lmrec's: tensorflow-gpu, tensorflow, wasm, cpu); default: the best available. */
  backend: z.string().min(1).optional(),
  experiment: z.enum(EXPERIMENT_KINDS),
  dataset: datasetSchema,
  /** Extra datasets (zero-shot: source domains are `datasets`, the target is `dataset`). */
  datasets: z.array(datasetSchema).default([]),
  encoder: pluginRef.optional(),
  encoders: z.array(pluginRef).default([]),
  backbone: pluginRef.optional(),
  models: z.array(model).default([]),
  trainer: trainer.default({}),
  eval: evaluation.default({}),
  /** Settings of the experiment kind; each kind has its own strict schema (config/study.ts). */
  study: z.record(z.string(), z.unknown()).default({}),
  search: search.optional(),
});

export type RunConfig = z.infer<typeof configSchema>;
export type DatasetConfig = z.infer<typeof datasetSchema>;
export type ModelConfig = z.infer<typeof model>;
export type PluginRef = z.infer<typeof pluginRef>;
