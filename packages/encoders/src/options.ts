import { pathOption } from '@lmrec/core';
import { z } from 'zod';
import { gloveEncoderOptions } from './glove/glove-encoder.js';

// Options of every TextEncoder plugin, one strict schema each. Defaults are
// left to the classes (documented here) so `new X(options)` and the plugin agree.

const range = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
const positiveInt = z.number().int().positive();

/** Where a plugin caches embeddings: false turns caching off; a folder overrides the run's cache. */
export const cacheOption = z
  .union([z.literal(false), z.strictObject({ dir: pathOption('cache root; each encoder id gets its own folder').optional(), chunkSize: positiveInt.describe('texts per chunk file: the most work a kill can lose (default 1024)').optional() })])
  .describe("embedding cache: false = off; default: the run's cache folder")
  .optional();

export const lexicalOptions = z.strictObject({
  wordNgrams: range.describe('word n-gram range, inclusive; [0, 0] disables (default [1, 2])').optional(),
  charNgrams: range.describe('character n-grams within word boundaries; [0, 0] disables (default [3, 5])').optional(),
  buckets: positiveInt.describe('hashed feature space size (default 2^18)').optional(),
  hashSeed: z.number().int().describe('murmur3 seed (default 0)').optional(),
  signed: z.boolean().describe('signed hashing so collisions cancel in expectation (default true)').optional(),
  sublinearTf: z.boolean().describe('tf -> sign(tf) (1 + ln|tf|) (default false)').optional(),
  idf: z.boolean().describe('weight by idf fitted on the corpus (default true)').optional(),
  projection: z.enum(['gaussian', 'achlioptas', 'none']).describe("random projection to dim; 'none' keeps all buckets (default gaussian)").optional(),
  dim: positiveInt.describe('output size with a projection (default 256)').optional(),
  projectionSeed: z.number().int().describe('projection seed (default 0)').optional(),
  normalize: z.boolean().describe('L2-normalise rows (default true)').optional(),
  batchSize: positiveInt.describe('texts per batch between progress ticks (default 512)').optional(),
  cache: cacheOption,
});

export const onnxOptions = z.strictObject({
  modelDir: pathOption('local model folder: config.json, tokenizer.json, onnx/<modelFile>.onnx'),
  modelFile: z.string().min(1).describe('ONNX file name in onnx/, without .onnx (default "model")').optional(),
  pooling: z.enum(['mean', 'cls', 'last']).describe('token states -> one vector (default mean over the attention mask)').optional(),
  normalize: z.boolean().describe('L2-normalise rows (default true)').optional(),
  maxLength: positiveInt.describe("truncate inputs to this many tokens (default: the tokenizer's model_max_length, at most 512)").optional(),
  outputName: z.string().min(1).describe('model output holding the token states (default last_hidden_state)').optional(),
  batchSize: positiveInt.describe('texts per model call (default 32)').optional(),
  modelHash: z.string().min(1).describe("names the model's content in the cache key instead of hashing the ONNX file").optional(),
  cache: cacheOption,
});

export const openaiOptions = z.strictObject({
  baseUrl: z.url().describe('server root with the API prefix, e.g. http://127.0.0.1:8080/v1 (requests go to <baseUrl>/embeddings)'),
  model: z.string().min(1).describe('model name sent with every request, e.g. text-embedding-3-small'),
  dim: positiveInt.describe('expected embedding size; every row is checked'),
  apiKeyEnv: z.string().min(1).describe('environment variable holding the API key (never logged, never in ids)').optional(),
  dimensions: positiveInt.describe('sent as "dimensions" (text-embedding-3 can shorten its output)').optional(),
  encodingFormat: z.union([z.literal('float'), z.null()]).describe('encoding_format sent; null omits it (default float)').optional(),
  batchSize: positiveInt.describe('texts per request (default 64)').optional(),
  concurrency: positiveInt.describe('requests in flight (default 4)').optional(),
  maxRetries: z.number().int().nonnegative().describe('retries per request (default 5)').optional(),
  initialBackoffMs: z.number().nonnegative().describe('first backoff, doubled per retry with jitter (default 500)').optional(),
  maxBackoffMs: z.number().nonnegative().describe('backoff and Retry-After cap (default 60000)').optional(),
  timeoutMs: z.number().positive().describe('per-request timeout, retried (default 60000)').optional(),
  normalize: z.boolean().describe('L2-normalise rows (default false)').optional(),
  headers: z.record(z.string(), z.string()).describe('extra request headers (not part of the id)').optional(),
  seed: z.number().int().describe('seed of the jitter draws (default 0)').optional(),
  cache: cacheOption,
});

export const precomputedOptions = z.strictObject({
  file: pathOption('embeddings [n, dim]: .npy (f4/f8) or .safetensors (F32/F64/F16/BF16)'),
  idsFile: pathOption('one id per line, line i naming row i of file'),
  tensor: z.string().min(1).describe('tensor name inside a safetensors file (default: its only tensor, else "embeddings")').optional(),
  normalize: z.boolean().describe('L2-normalise rows (default false)').optional(),
});

export const gloveOptions = gloveEncoderOptions.extend({ cache: cacheOption });
