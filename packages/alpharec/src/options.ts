import { z } from 'zod';
import { recsysOptions } from '@lmrec/recsys';

// AlphaRec's plugin options (one strict schema; an unknown key is an error).
// The item vectors and the encoder are dependencies, not options.

const positiveInt = z.number().int().positive();

const alpharecShape = {
  hidden: positiveInt.describe("hidden width of the MLP's first layer (wins over multiplier)").optional(),
  multiplier: z.number().positive().describe('hidden width = floor(multiplier * d), as the reference writes it').optional(),
  layers: z.number().int().nonnegative().describe('graph convolution layers (default 2; 0 for the linear mapping)').optional(),
  outDim: positiveInt.describe('output dimension (default 64)').optional(),
  slope: z.number().nonnegative().describe('LeakyReLU slope (default 0.01)').optional(),
  tau: z.number().positive().describe('InfoNCE temperature (default 0.15)').optional(),
  negatives: positiveInt.describe('negatives per (user, positive), with replacement (default 256)').optional(),
  lossKernel: z.enum(['auto', 'dense', 'sparse']).describe('InfoNCE implementation; same numbers either way (default auto)').optional(),
  lr: z.number().positive().describe('Adam learning rate (default 5e-4)').optional(),
  batchSize: positiveInt.describe('default 4096 (last partial batch dropped, as the reference)').optional(),
  epochs: positiveInt.describe('maximum epochs (default 500)').optional(),
  evalEvery: positiveInt.describe('evaluate every n epochs (default 5)').optional(),
  patience: z.number().int().nonnegative().describe('evaluations without gain before stopping (default 20)').optional(),
  metric: z.string().regex(/^[a-z]+@\d+$/).describe('selection metric (default recall@20)').optional(),
  selectOn: z.enum(['valid', 'test']).describe("'valid' (default); 'test' reproduces the reference's test-set selection, a leak, labelled").optional(),
};

export const alpharecOptions = z.strictObject(alpharecShape);

/** The linear mapping study: the same options without the MLP's width (no graph by default). */
export const linearMappingOptions = z.strictObject(Object.fromEntries(Object.entries(alpharecShape).filter(([key]) => key !== 'hidden' && key !== 'multiplier')) as Omit<typeof alpharecShape, 'hidden' | 'multiplier'>);

/** ZESRec-style baseline: nothing to set (items are their text vectors). */
export const zesrecOptions = z.strictObject({});

export const unisrecOptions = z.strictObject({
  ...recsysOptions.trainOptions,
  experts: positiveInt.describe('experts of the MoE adaptor (default 8)').optional(),
  outDim: positiveInt.describe('output size of each expert (default 64)').optional(),
  tau: z.number().positive().describe('in-batch softmax temperature (default 0.07)').optional(),
});

export const temOptions = z.strictObject({
  ...recsysOptions.trainOptions,
  dim: positiveInt.describe('hidden size (default 64)').optional(),
  heads: positiveInt.describe('attention heads (default 2)').optional(),
  layers: positiveInt.describe('transformer blocks (default 2)').optional(),
  dropout: z.number().min(0).max(1).describe('default 0.1').optional(),
  maxLen: positiveInt.describe('longest history read (default 50)').optional(),
  queryDrop: z.number().min(0).max(1).describe('share of training samples without a query (default 0.5)').optional(),
});
