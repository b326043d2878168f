import { z } from 'zod';

/**
 * The plugin's options: a strict schema (an unknown key is a config error
 * with a did-you-mean), every key documented (`lmrec plugins attention-pool`
 * prints these lines). The input width is not an option: it comes from the
 * pipeline (DEPS.InputDim), as does the run's seed.
 */
export const attentionPoolOptions = z.strictObject({
  outDim: z.number().int().positive().describe('output width after a learned Linear(d, outDim); default: d, no projection').optional(),
  temperature: z.number().positive().default(1).describe('softmax temperature of the attention scores'),
  seed: z.number().int().describe("initialisation seed (default: the run's seed)").optional(),
});

export type AttentionPoolOptions = z.output<typeof attentionPoolOptions>;
