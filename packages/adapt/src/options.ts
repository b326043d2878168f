import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** trainAdapt's options as a config sets them (`study.bias`, `study.gating`, `study.recsys`); defaults as in trainAdapt. */
export const adaptTrainOptions = z.strictObject({
  epochs: positiveInt.describe('most epochs (the comparison defaults to 20)').optional(),
  batchSize: positiveInt.describe('default 256').optional(),
  negatives: positiveInt.describe('negatives per batch, without replacement, shared by the batch (default 1000)').optional(),
  optimizer: z.enum(['adam', 'adamw']).describe('default adamw').optional(),
  learningRate: z.number().positive().describe('learning rate (default 1e-3)').optional(),
  weightDecay: z.number().nonnegative().describe('AdamW decoupled weight decay (default 0.01)').optional(),
  indexLearningRate: z.number().positive().describe("a trainable aggregator's learning rate (default learningRate)").optional(),
  clipNorm: z.number().positive().describe('global gradient-norm clip (off by default)').optional(),
  patience: positiveInt.describe('evaluations without gain before stopping (default 3)').optional(),
  evalEvery: positiveInt.describe('evaluate on valid every n epochs (default 1)').optional(),
  validK: positiveInt.describe('K of the early-stopping Recall@K (default 10)').optional(),
  evalAtStart: z.boolean().describe('evaluate the untrained model too, which then competes in selection (default true)').optional(),
  excludeMentioned: z.boolean().describe('drop mentioned items when ranking valid examples (default false, as the reference)').optional(),
  scoreBatch: positiveInt.describe('examples scored at once during validation (default 256)').optional(),
});
