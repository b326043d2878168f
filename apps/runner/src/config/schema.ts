import { z } from 'zod';

/** A plugin reference in a config: its registered name plus plain options. */
const pluginRef = z.strictObject({
  name: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});

const split = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('given') }),
  z.strictObject({ kind: z.literal('ratio'), ratios: z.tuple([z.number(), z.number(), z.number()]).default([0.8, 0.1, 0.1]) }),
  z.strictObject({ kind: z.literal('leave-one-out') }),
  z.strictObject({ kind: z.literal('temporal'), validFrom: z.number(), testFrom: z.number() }),
]);

const dataset = z.strictObject({
  /** DatasetLoader plugin name, e.g. "alpharec-dir", "movielens", "redial-bundled". */
  loader: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
  /** k-core filter applied before splitting (iterated to a fixed point). */
  filter: z.strictObject({ user: z.number().int().nonnegative().default(0), item: z.number().int().nonnegative().default(0) }).optional(),
  split: split.default({ kind: 'given' }),
});

const model = z.strictObject({
  /** Plugin name (Recommender for cf experiments). */
  name: z.string().min(1),
  /** Row label in tables; defaults to the name. */
  label: z.string().optional(),
  options: z.record(z.string(), z.unknown()).default({}),
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
  metric: z.string().optional(),
  excludeMentioned: z.boolean().optional(),
  /** Row label that paired significance tests compare against (defaults to the first model). */
  baseline: z.string().optional(),
});

const search = z.strictObject({
  method: z.enum(['grid', 'random']).default('grid'),
  trials: z.number().int().positive().optional(),
  /** Dotted config keys (e.g. "models.0.options.lr") -> candidate values. */
  space: z.record(z.string(), z.array(z.unknown()).nonempty()),
});

export const EXPERIMENT_KINDS = ['cf', 'rta', 'rta-aggregators', 'linear-mapping', 'zero-shot', 'intention'] as const;

export const configSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().nonnegative().default(2024),
  /** Output folder; relative paths resolve from the config file's folder. */
  output: z.string().optional(),
  /** Extra plugin packages or module paths to load into the container. */
  plugins: z.array(z.string()).default([]),
  /** A TensorBackend plugin name (lmrec's: tensorflow-gpu, tensorflow, wasm, cpu); default: the best available. */
  backend: z.string().optional(),
  experiment: z.enum(EXPERIMENT_KINDS),
  dataset,
  /** Extra datasets (zero-shot: source domains are `datasets`, the target is `dataset`). */
  datasets: z.array(dataset).default([]),
  encoder: pluginRef.optional(),
  encoders: z.array(pluginRef).default([]),
  backbone: pluginRef.optional(),
  models: z.array(model).default([]),
  trainer: trainer.default({}),
  eval: evaluation.default({}),
  /** Free-form settings of one experiment kind (e.g. intention texts, alphas). */
  study: z.record(z.string(), z.unknown()).default({}),
  search: search.optional(),
});

export type RunConfig = z.infer<typeof configSchema>;
export type ModelConfig = z.infer<typeof model>;
export type PluginRef = z.infer<typeof pluginRef>;
