import { z } from 'zod';

const options = z.record(z.string(), z.unknown()).default({});

/**
 * A zero-training CRS row of an RTA comparison (`study.crs.<label>`): a
 * CrsModel plugin, its options, and the TextEncoder it reads through (the
 * dense retriever's; a model that needs none leaves it out).
 */
export const crsRowRef = z.strictObject({
  plugin: z.string().min(1).describe('CrsModel plugin name, e.g. dense-retriever or llm-generator'),
  options,
  encoder: z.strictObject({ name: z.string().min(1), options }).describe('TextEncoder plugin the model reads through (dense-retriever)').optional(),
});
export type CrsRowRef = z.infer<typeof crsRowRef>;

export const crsRows = z.record(z.string().min(1), crsRowRef).describe('row label -> zero-training CRS model (dense retriever, zero-shot LLM), evaluated beside Reindex');
