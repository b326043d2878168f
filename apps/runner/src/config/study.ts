import { adaptTrainOptions } from '@lmrec/adapt';
import { reindexOptions } from '@lmrec/reindex';
import { z } from 'zod';
import { crsRows, type CrsRowRef } from './crs.js';
import type { ExperimentKind } from './schema.js';

// One strict schema per experiment kind for its `study` section: an unknown
// key is a config error (with a did-you-mean), never silently ignored.

const options = z.record(z.string(), z.unknown()).default({});
const positiveInt = z.number().int().positive();

/** An Aggregator plugin: its name, or { name, options }. */
export const aggregatorRef = z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), label: z.string().min(1).describe('row label (default: the name)').optional(), options })]);
export type AggregatorRef = z.infer<typeof aggregatorRef>;

/** One comparison of the aggregator study: an aggregator with, optionally, its own reindex training and rows. */
const aggregatorRun = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1),
    label: z.string().min(1).describe('row label (default: the name)').optional(),
    options,
    reindex: reindexOptions.trainReindexOptions.describe("this aggregator's reindex training, over study.reindex").optional(),
    variants: z.array(z.string().min(1)).nonempty().describe('rows of this comparison (default study.variants)').optional(),
  }),
]);
export type AggregatorRun = z.infer<typeof aggregatorRun>;

/** A GatingRecommender plugin: its name, or { plugin, options }. */
const gatingRef = z.union([z.string().min(1), z.strictObject({ plugin: z.string().min(1), options })]);
export type GatingRef = z.infer<typeof gatingRef>;

/** Training options of the reindex step and of trainAdapt, from the packages that own them. */
const reindexTraining = reindexOptions.trainReindexOptions;
const adaptTraining = adaptTrainOptions;

const rtaShared = {
  variants: z.array(z.string().min(1)).nonempty().describe('rows to run (default all; Reindex always runs)').optional(),
  recommenders: z.record(z.string().min(1), gatingRef).describe('row label -> GatingRecommender plugin (default FISM and SASRec)').optional(),
  crs: crsRows.optional(),
  reindex: reindexTraining.optional(),
  bias: adaptTraining.optional(),
  gating: adaptTraining.optional(),
  recsys: adaptTraining.optional(),
  maxExamples: z.strictObject({ train: positiveInt.optional(), valid: positiveInt.optional(), test: positiveInt.optional() }).describe('first n examples per part').optional(),
  maxHistory: positiveInt.describe('longest item history (default 128)').optional(),
  history: z.enum(['all', 'distinct']).describe("an example's history: every mention ('all', default) or each item once ('distinct', the official RTA code)").optional(),
  popularity: z.enum(['mentions', 'targets']).describe("Popularity scores: train mentions ('mentions', default) or train example targets ('targets', the official RTA code)").optional(),
  ddof: z.union([z.literal(0), z.literal(1)]).describe('standard error ddof: 1 (default) or 0 (numpy, the official RTA code)').optional(),
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
    aggregators: z.array(aggregatorRun).nonempty().default(['sum', 'weighted', 'rnn', 'trm']),
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
  aggregators?: AggregatorRun[];
  variants?: string[];
  recommenders?: Record<string, GatingRef>;
  crs?: Record<string, CrsRowRef>;
  reindex?: Record<string, unknown>;
  bias?: Record<string, unknown>;
  gating?: Record<string, unknown>;
  recsys?: Record<string, unknown>;
  maxExamples?: { train?: number; valid?: number; test?: number };
  maxHistory?: number;
  history?: 'all' | 'distinct';
  popularity?: 'mentions' | 'targets';
  ddof?: 0 | 1;
}
