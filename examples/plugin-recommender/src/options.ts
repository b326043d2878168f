import { z } from 'zod';

/** The plugin's options: strict (an unknown key is a config error), every key documented. */
export const itemKnnOptions = z.strictObject({
  neighbours: z.number().int().positive().default(50).describe('most similar items kept per item (k)'),
  shrink: z.number().nonnegative().default(0).describe('cosine shrinkage: co-count / (|i| |j| + shrink), damps rare pairs'),
});

export type ItemKnnOptions = z.output<typeof itemKnnOptions>;
