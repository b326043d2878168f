import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** How a conversation context becomes one text (both CRS models). */
const contextText = {
  lastTurns: positiveInt.describe('use only the last n turns of the context (default all)').optional(),
  roles: z.boolean().describe('prefix each turn with "User:" / "Recommender:" (default true)').optional(),
};

export const denseRetrieverOptions = z.strictObject({
  ...contextText,
  descriptions: z.boolean().describe("append each item's description to its title where the dataset has one (default true)").optional(),
  batchSize: positiveInt.describe('contexts encoded per call (default 256)').optional(),
});

export const llmGeneratorOptions = z.strictObject({
  lastTurns: contextText.lastTurns,
  baseUrl: z.string().min(1).describe('OpenAI-compatible server root with its API prefix, e.g. http://127.0.0.1:8000/v1 (requests go to /chat/completions)'),
  model: z.string().min(1).describe('model name the server knows'),
  apiKeyEnv: z.string().min(1).describe('environment variable with the API key (sent as Bearer; never logged)').optional(),
  count: positiveInt.max(100).describe('titles asked for (default 20, as RTA)').optional(),
  temperature: z.number().min(0).max(2).describe('sampling temperature (default 0)').optional(),
  maxTokens: positiveInt.describe('completion budget (default 600)').optional(),
  system: z.string().min(1).describe("system prompt (default: RTA's, asking for `count` titles without extra sentences)").optional(),
  concurrency: positiveInt.describe('requests in flight (default 4)').optional(),
  maxRetries: z.number().int().nonnegative().describe('retries per request (default 5)').optional(),
  timeoutMs: positiveInt.describe('per-request timeout (default 120000)').optional(),
  threshold: z.number().min(0).lt(1).describe('title matcher: largest normalised edit distance (default 0.2)').optional(),
  yearTolerance: z.number().int().nonnegative().describe('title matcher: years further apart never match (default 1)').optional(),
});

export type DenseRetrieverOptions = z.input<typeof denseRetrieverOptions>;
export type LlmGeneratorOptions = z.input<typeof llmGeneratorOptions>;
