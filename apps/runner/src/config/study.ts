import { z } from 'zod';
import type { ExperimentKind } from './schema.js';

// One strict schema per experiment kind for its `study` section: an unknown
// key is a config error (with a did-you-mean), never silently ignored.

const options = z.record(z.string(), z.unknown()).default({});
const positiveInt = z.number().int().positive();

/** An Aggregator plugin: its name, or { name, options }. */
export const aggregatorRef = z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), label: z.string().min(1).describe('row label (default: the name)').optional(), options })]);
export type AggregatorRef = z.infer<typeof aggregatorRef>;

/** A GatingRecommender plugin: its name, or { plugin, options }. */
const gatingRef = z.union([z.string().min(1), z.strictObject({ plugin: z.string().min(1), options })]);
export type GatingRef = z.infer<typeof gatingRef>;

/** @lmrec/reindex's trainReindex options. */
const reindexTraining = z.strictObject({
  negatives: positiveInt.describe('negatives per batch (default 1000)').optional(),
  lr: z.number().positive().describe('AdamW learning rate (default 1e-4)').optional(),
  weightDecay: z.number().nonnegative().describe('default 0').optional(),
  batchSize: positiveInt.describe('default 256').optional(),
  clipNorm: z.number().positive().describe('global gradient-norm clip (default 5)').optional(),
  maxEpochs: positiveInt.describe('default 20').optional(),
  patience: z.number().int().nonnegative().describe('epochs without gain before stopping (default 3)').optional(),
  metric: z.string().regex(/^[a-z]+@\d+$/).describe('validation metric (default hit@10)').optional(),
  evaluateInitial: z.boolean().describe('also evaluate the initial aggregator (default true)').optional(),
});

/** @lmrec/adapt's trainAdapt options (bias, gating and the recommenders alone). */
const adaptTraining = z.strictObject({
  epochs: positiveInt.describe('most epochs (default 20 in the comparison)').optional(),
  batchSize: positiveInt.describe('default 256').optional(),
  negatives: positiveInt.describe('negatives per batch (default 1000)').optional(),
  learningRate: z.number().positive().describe('AdamW learning rate (default 1e-3)').optional(),
  weightDecay: z.number().nonnegative().describe('AdamW decoupled weight decay (default 0.01)').optional(),
  indexLearningRate: z.number().positive().describe("a trainable aggregator's learning rate (default learningRate)").optional(),
  clipNorm: z.number().positive().describe('global gradient-norm clip (off by default)').optional(),
  patience: z.number().int().nonnegative().describe('evaluations without gain before stopping (default 3)').optional(),
  evalEvery: positiveInt.describe('evaluate on valid every n epochs (default 1)').optional(),
  validK: positiveInt.describe('K of the early-stopping Recall@K (default 10)').optional(),
  evalAtStart: z.boolean().describe('evaluate the untrained model too (default true)').optional(),
  excludeMentioned: z.boolean().describe('drop mentioned items when ranking valid examples (default false)').optional(),
  scoreBatch: positiveInt.describe('examples scored at once during validation (default 256)').optional(),
});

const rtaShared = {
  variants: z.array(z.string().min(1)).nonempty().describe('rows to run (default all; Reindex always runs)').optional(),
  recommenders: z.record(z.string().min(1), gatingRef).describe('row label -> GatingRecommender plugin (default FISM and SASRec)').optional(),
  reindex: reindexTraining.optional(),
  bias: adaptTraining.optional(),
  gating: adaptTraining.optional(),
  recsys: adaptTraining.optional(),
  maxExamples: z.strictObject({ train: positiveInt.optional(), valid: positiveInt.optional(), test: positiveInt.optional() }).describe('first n examples per part').optional(),
  maxHistory: positiveInt.describe('longest item history (default 128)').optional(),
};

/** The zero-shot, linear-mapping and intention studies name a `models` row by its label. */
const rowLabel = z.string().min(1);

export const STUDY_SCHEMAS: Record<ExperimentKind, z.ZodType> = {
  cf: z.strictObject({}),
  rta: z.strictObject({
    aggregator: aggregatorRef.describe('the reindex aggregator (default "weighted" with an identity Linear)').optional(),
    ...rtaShared,
  }),
  'rta-aggregators': z.strictObject({
    aggregators: z.array(aggregatorRef).nonempty().default(['sum', 'weighted', 'rnn', 'trm']),
    ...rtaShared,
  }),
  'linear-mapping': z.strictObject({
    /** The Recommender trained on each encoder's item vectors. */
    mapping: z.strictObject({ name: z.string().min(1).default('linear-mapping'), options }).default({ name: 'linear-mapping', options: {} }),
  }),
  'zero-shot': z.strictObject({
    transfer: rowLabel.describe('label of the models row trained on the sources and applied to the target (default: the first row)').optional(),
  }),
  intention: z.strictObject({
    model: rowLabel.describe('label of the models row whose recommend() takes intentions (default: the first row)').optional(),
    alphas: z.array(z.number().min(0).max(1)).nonempty().default([0, 0.25, 0.5, 0.75, 1]),
  }),
};

export interface RtaStudy {
  aggregator?: AggregatorRef;
  aggregators?: AggregatorRef[];
  variants?: string[];
  recommenders?: Record<string, GatingRef>;
  reindex?: Record<string, unknown>;
  bias?: Record<string, unknown>;
  gating?: Record<string, unknown>;
  recsys?: Record<string, unknown>;
  maxExamples?: { train?: number; valid?: number; test?: number };
  maxHistory?: number;
}
