import { pathOption } from '@lmrec/core';
import { z } from 'zod';

// Options of the reindex package's plugins, one strict schema each. The
// aggregators' input width and seed come from the pipeline (DEPS.InputDim,
// DEPS.Seed), not from the config.

const positiveInt = z.number().int().positive();
const seed = z.number().int().nonnegative().describe("seed of the initial weights (default: the run's seed)");

export const sumOptions = z.strictObject({});

export const weightedOptions = z.strictObject({
  outDim: positiveInt.describe('output width (default: the input width)').optional(),
  maxLen: positiveInt.describe('positions with a learned weight; longer titles are cut (default 32)').optional(),
  linearInit: z.enum(['uniform', 'identity']).describe("'uniform' (PyTorch Linear default) or 'identity' (starts as a masked mean)").optional(),
  seed: seed.optional(),
});

export const rnnOptions = z.strictObject({
  hidden: positiveInt.describe('GRU hidden size per direction (default max(8, d / 4); reference 1024 for d = 4096)').optional(),
  outDim: positiveInt.describe('output width (default: the input width)').optional(),
  read: z.enum(['packed', 'padded']).describe("backward direction: 'packed' final state (default) or 'padded', the official code's padded output at the last valid token").optional(),
  padTo: positiveInt.describe("with read 'padded': pad titles to at least this many tokens (official: the catalogue's longest title; default the batch's longest)").optional(),
  steps: z.enum(['valid', 'all']).describe("steps computed: 'valid' (default) only valid tokens, length-sorted as PyTorch's packed sequences; 'all' every position with masked updates (the slower reference, same maths)").optional(),
  seed: seed.optional(),
});

export const trmOptions = z.strictObject({
  heads: positiveInt.describe('attention heads; must divide d (reference 8)').optional(),
  ffnDim: positiveInt.describe('feed-forward width (default min(2048, 4 d); the official code: 2048)').optional(),
  mask: z.boolean().describe('mask padded keys in attention (default true); the official code does not (false), so padding (zero vectors) is attended to').optional(),
  padTo: positiveInt.describe('pad titles to at least this many tokens (official: the catalogue longest title; matters with mask false)').optional(),
  dropout: z.number().min(0).max(1).describe('dropout on attention weights and residual branches (reference 0.1)').optional(),
  positions: z.enum(['read', 'all']).describe("query positions computed: 'read' (default) only the last valid token, the one read; 'all' every position (the slower reference, same maths)").optional(),
  seed: seed.optional(),
});

const prompt = z.strictObject({ system: z.string(), user: z.string().includes('{context}', { message: 'the user template must contain {context}' }) }).describe('chat prompt (default: the RTA reference prompt)');

export const artifactsOptions = z.strictObject({
  dir: pathOption('folder with manifest.json + artifacts.safetensors, or the numpy layout of ../shared/data/redial_lexical (token_embeddings.npy, items.tsv, title_token_ids.json, examples_/contexts_{split})'),
});

export const transformersOptions = z.strictObject({
  modelDir: pathOption('local model folder: config.json, tokenizer files, onnx/<modelFileName>.onnx and safetensors weights'),
  prompt: prompt.optional(),
  maxContextTokens: positiveInt.describe('context tokens kept, left-truncated (reference 512)').optional(),
  embeddingTensor: z.string().min(1).describe('name of the token embedding tensor (default: detected)').optional(),
  weights: pathOption('weights file (default model.safetensors or its index)').optional(),
  modelFileName: z.string().min(1).describe('ONNX file under onnx/ without extension (default "model")').optional(),
  dtype: z.string().min(1).describe('transformers.js dtype of the ONNX weights (default fp32)').optional(),
  chatTemplate: z.boolean().describe("use the tokenizer's chat template when it has one (default true)").optional(),
});

export const openaiOptions = z.strictObject({
  artifacts: pathOption('artifacts folder of the same model: title token ids and the token table'),
  baseUrl: z.url().describe('e.g. http://127.0.0.1:8000/v1 (POST <baseUrl>/embeddings)'),
  model: z.string().min(1).describe('model name the server serves (the same model as the artifacts)'),
  apiKeyEnv: z.string().min(1).describe('environment variable holding the API key (never logged)').optional(),
  prompt: prompt.optional(),
  batchSize: positiveInt.describe('texts per request (default 32)').optional(),
  timeoutMs: z.number().positive().describe('per-request timeout (default 60000)').optional(),
  maxRetries: z.number().int().nonnegative().describe('retries on 429 / 5xx / network errors / timeouts (default 5)').optional(),
  initialBackoffMs: z.number().nonnegative().describe('first backoff, doubled per retry (default 500)').optional(),
});

export const lexicalOptions = z.strictObject({
  dim: positiveInt.describe('embedding width (default 256)').optional(),
  vocabBits: z.number().int().min(4).max(28).describe('hash buckets = 2^vocabBits (default 18)').optional(),
  seed: seed.optional(),
  recencyDecay: z.number().min(0).max(1).describe('weight of a turn k turns before the end: decay^k (default 0.8)').optional(),
  queryScale: z.number().positive().describe('norm of q, the inverse temperature of the reindex softmax (default 1)').optional(),
});

export { gloveBackboneOptions as gloveOptions } from './backbones/glove.js';

/** The reindex step's training options as a config sets them (`study.reindex`); defaults as in trainReindex. */
export const trainReindexOptions = z.strictObject({
  negatives: positiveInt.describe('negatives per batch, uniform over the catalogue, shared by the batch (default 1000)').optional(),
  lr: z.number().positive().describe('AdamW learning rate (default 1e-4)').optional(),
  weightDecay: z.number().nonnegative().describe('AdamW decoupled weight decay (default 0, the reference)').optional(),
  batchSize: positiveInt.describe('default 256').optional(),
  clipNorm: z.number().positive().describe('global gradient-norm clip (default 5)').optional(),
  maxEpochs: positiveInt.describe('default 20').optional(),
  patience: positiveInt.describe('evaluations without gain before stopping (default 3)').optional(),
  evalEvery: positiveInt.describe('validate every n epochs (default 1; the reference validates every 2)').optional(),
  metric: z.string().regex(/^[a-z]+@\d+$/).describe('validation metric (default hit@10)').optional(),
  evaluateInitial: z.boolean().describe('also evaluate the initial aggregator, which then competes in selection (default true)').optional(),
});
