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
  itemBias: z.boolean().describe("a learned per-item bias on the logits (default true; the official RTA train.py's default recsys_with_bias is false, its scripts pass true)").optional(),
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

const temperature = z.number().positive();

export const sglOptions = lightgcnOptions.extend({
  augmentation: z.enum(['edge', 'node', 'walk']).describe("graph augmentation: edge dropout (default), node dropout or random walk").optional(),
  dropRatio: z.number().min(0).lt(1).describe('augmentation dropout ratio rho (default 0.1)').optional(),
  tau: temperature.describe('InfoNCE temperature (default 0.2)').optional(),
  sslWeight: z.number().nonnegative().describe('weight of the self-supervised loss (default 0.1)').optional(),
});

export const xsimgclOptions = z
  .strictObject({
    ...trainOptions,
    dim: positiveInt.describe('embedding size (default 64)').optional(),
    layers: positiveInt.describe('propagation layers L (default 2)').optional(),
    clLayer: positiveInt.describe('layer l* contrasted with the final embedding, 1..layers (default 1)').optional(),
    eps: z.number().nonnegative().describe('noise magnitude (default 0.2)').optional(),
    tau: temperature.describe('InfoNCE temperature (default 0.2)').optional(),
    sslWeight: z.number().nonnegative().describe('weight of the contrastive loss (default 0.2)').optional(),
    reg: z.number().nonnegative().describe("L2 on the batch's layer-0 embeddings (default 1e-4)").optional(),
    initStd: z.number().positive().describe('init N(0, initStd^2) (default 0.1)').optional(),
  })
  .refine((o) => (o.clLayer ?? 1) <= (o.layers ?? 2), { message: 'clLayer must be at most layers', path: ['clLayer'] });

export const bclossOptions = z.strictObject({
  ...trainOptions,
  backbone: z.enum(['mf', 'lightgcn']).describe("embedding backbone (default 'lightgcn')").optional(),
  dim: positiveInt.describe('embedding size (default 64)').optional(),
  layers: positiveInt.describe('LightGCN layers (default 2)').optional(),
  tau1: temperature.describe('temperature of the bias-aware loss (default 0.1)').optional(),
  tau2: temperature.describe('temperature of the popularity branch (default 0.1)').optional(),
  popWeight: rate.describe('lambda: (1 - lambda) L_BC + lambda L_pop (default 0.5)').optional(),
  popGroups: z.number().int().min(2).describe('popularity groups by train degree (default 10)').optional(),
  reg: z.number().nonnegative().describe("L2 on the batch's layer-0 embeddings (default 1e-4)").optional(),
  initStd: z.number().positive().describe('init N(0, initStd^2) (default 0.1)').optional(),
});
