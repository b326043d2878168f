import { z } from 'zod';

// Options of every recsys plugin, one strict schema each (an unknown key is an
// error). Defaults live in the classes and are documented here.

const positiveInt = z.number().int().positive();
const rate = z.number().min(0).max(1);

/** Training options every trained recommender takes (the config's `trainer` section sets the same keys for all models). */
export const trainOptions = {
  epochs: positiveInt.describe('maximum epochs').optional(),
  batchSize: positiveInt.describe('samples per step').optional(),
  lr: z.number().positive().describe('learning rate').optional(),
  optimizer: z.enum(['adam', 'adamw']).describe('default adam').optional(),
  weightDecay: z.number().nonnegative().describe('AdamW decoupled weight decay').optional(),
  clipNorm: z.number().positive().describe('clip gradients to this global norm').optional(),
  evalEvery: positiveInt.describe('evaluate on VALID every n epochs').optional(),
  patience: z.number().int().nonnegative().describe('stop after this many evaluations without gain').optional(),
  metric: z.string().regex(/^[a-z]+@\d+$/).describe('selection metric on VALID, e.g. recall@20').optional(),
};

export const popularityOptions = z.strictObject({});

export const mfOptions = z.strictObject({
  ...trainOptions,
  dim: positiveInt.describe('embedding size (default 64)').optional(),
  reg: z.number().nonnegative().describe("L2 on the batch's embeddings (default 1e-4)").optional(),
  initStd: z.number().positive().describe('init N(0, initStd^2) (default 0.1)').optional(),
  negatives: positiveInt.describe('negatives per positive (default 1)').optional(),
  init: z.enum(['normal', 'xavier']).describe("'normal' N(0, initStd^2) (default) or 'xavier': xavier_normal_ per table, as AlphaRec's code").optional(),
  dropLast: z.boolean().describe('skip the last incomplete batch, as the official drop_last=True (default false)').optional(),
  kernel: z.enum(['fused', 'tape']).describe("'fused' loss + gradient on plain arrays (default) or 'tape' (tfjs ops)").optional(),
});

export const lightgcnOptions = z.strictObject({
  ...trainOptions,
  dim: positiveInt.describe('embedding size (default 64)').optional(),
  layers: z.number().int().nonnegative().describe('propagation layers (default 3)').optional(),
  reg: z.number().nonnegative().describe("L2 on the batch's layer-0 embeddings (default 1e-4)").optional(),
  initStd: z.number().positive().describe('init N(0, initStd^2) (default 0.1)').optional(),
  init: z.enum(['normal', 'xavier']).describe("'normal' N(0, initStd^2) (default) or 'xavier': xavier_normal_ per table, as AlphaRec's code").optional(),
  dropLast: z.boolean().describe('skip the last incomplete batch, as the official drop_last=True (default false)').optional(),
  kernel: z.enum(['fused', 'tape']).describe("'fused' loss + gradient on plain arrays (default) or 'tape' (tfjs ops)").optional(),
});

export const multvaeOptions = z.strictObject({
  ...trainOptions,
  dims: z.tuple([positiveInt, positiveInt]).describe('hidden and latent sizes (default [600, 200])').optional(),
  dropout: rate.describe('dropout on the normalised input (default 0.5)').optional(),
  totalAnnealSteps: positiveInt.describe('KL weight reaches annealCap after this many steps (default 200000)').optional(),
  annealCap: z.number().nonnegative().describe('largest KL weight (default 0.2)').optional(),
});

const fismNet = {
  dim: positiveInt.describe('embedding size (default 64)').optional(),
  initStd: z.number().positive().describe('init N(0, initStd^2) (default 0.01)').optional(),
  maxHistory: positiveInt.describe('histories cut to their last n items (default 128)').optional(),
  padRow: z.boolean().describe("the official RTA code's frozen, non-zero PAD row summed into every history padded to maxHistory (default false)").optional(),
};

const sasrecNet = {
  dim: positiveInt.describe('hidden size (default 64)').optional(),
  heads: positiveInt.describe('attention heads (default 2)').optional(),
  layers: positiveInt.describe('self-attention blocks (default 2)').optional(),
  dropout: rate.describe('default 0.1').optional(),
  maxLen: positiveInt.describe('longest history read, most recent items (default 50)').optional(),
};

export const fismOptions = z.strictObject({ ...trainOptions, ...fismNet });

export const sasrecOptions = z.strictObject({
  ...trainOptions,
  ...sasrecNet,
  loss: z.enum(['ce', 'bce']).describe("'ce': softmax over the catalogue (default); 'bce': the paper's one-negative loss").optional(),
});

/** Gating nets: the catalogue size and seed come from the pipeline (DEPS.NItems, DEPS.Seed). */
export const fismNetOptions = z.strictObject(fismNet);
export const sasrecNetOptions = z.strictObject(sasrecNet);
