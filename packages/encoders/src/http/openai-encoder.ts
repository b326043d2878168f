import { LmrecError, silentProgress, type EncodeOptions, type TextEncoder } from '@lmrec/core';
import { checkBatchSize, l2Normalize } from '../util/batch.js';
import { JsonPostClient } from './client.js';
import { runPool } from './retry.js';

export interface OpenAiEncoderOptions {
  /**
   * Server root including the API prefix, e.g. "https://api.openai.com/v1" or "http://127.0.0.1:8080/v1"; requests go to `${baseUrl}/embeddings`.
   * Credentials in it (user:password@) are sent as Basic auth and its query string with every request; neither appears in `id`, errors or logs.
   */
  baseUrl: string;
  model: string;
  /** Expected embedding size; every returned row is checked against it. */
  dim: number;
  /** Name of the environment variable holding the API key (sent as `Authorization: Bearer`). The key is never logged nor put in `id` or errors. */
  apiKeyEnv?: string;
  /** Sent as `dimensions` (text-embedding-3 models can shorten their output). */
  dimensions?: number;
  /** `encoding_format` sent; null omits it (for servers that reject it). Default 'float'. */
  encodingFormat?: 'float' | null;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Retries after the first attempt, per request. Default 5. */
  maxRetries?: number;
  /** First backoff; doubles per retry, with jitter in [delay/2, delay]. Default 500 ms. */
  initialBackoffMs?: number;
  /** Backoff and Retry-After cap. Default 60 s. */
  maxBackoffMs?: number;
  /** Per-request timeout (a timeout is retried). Default 60 s. */
  timeoutMs?: number;
  /** L2-normalise rows (most embedding APIs already do). Default false. */
  normalize?: boolean;
  /** Extra request headers (not part of `id`). */
  headers?: Record<string, string>;
  /** Seed of the jitter draws. Default 0. */
  seed?: number;
  /** Injection points for tests and custom transports. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Embeddings from an OpenAI-compatible `POST /embeddings` endpoint (OpenAI,
 * vLLM, llama.cpp server, TEI, Ollama's /v1): batched, a bounded number of
 * requests in flight, retries with exponential backoff and jitter on 429,
 * 5xx, timeouts, network errors and truncated bodies (honouring
 * Retry-After), a dimension check, and rows put back in input order by
 * `index`.
 */
export class OpenAiEncoder implements TextEncoder {
  readonly id: string;
  readonly dim: number;
  /** The endpoint as shown in messages: no credentials, no query. */
  readonly url: string;
  private readonly client: JsonPostClient;
  readonly model: string;
  private readonly options: OpenAiEncoderOptions;

  constructor(options: OpenAiEncoderOptions) {
    if (!options.baseUrl) throw new LmrecError('E_ARGUMENT', 'openai encoder: baseUrl is required', { field: 'baseUrl' });
    if (!options.model) throw new LmrecError('E_ARGUMENT', 'openai encoder: model is required', { field: 'model' });
    if (!Number.isInteger(options.dim) || options.dim < 1) {
      throw new LmrecError('E_ARGUMENT', `openai encoder: dim must be a positive integer, got ${options.dim}`, { field: 'dim', hint: "the model's embedding size, e.g. 1536 for text-embedding-3-small" });
    }
    this.client = new JsonPostClient({ ...options, path: '/embeddings', owner: 'openai encoder' });
    this.options = options;
    this.model = options.model;
    this.dim = options.dim;
    this.url = this.client.url;
    // The id is a cache key and gets logged: it names the endpoint without credentials or query.
    const parts = [`url=${this.url.replace(/\/embeddings$/, '')}`, `model=${options.model}`, `dim=${options.dim}`];
    if (options.dimensions !== undefined) parts.push(`dimensions=${options.dimensions}`);
    parts.push(options.normalize ? 'l2' : 'raw');
    this.id = `openai(${parts.join(',')})`;
  }

  async encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]> {
    const signal = options?.signal;
    signal?.throwIfAborted();
    const batchSize = checkBatchSize(options?.batchSize ?? this.options.batchSize, 64);
    if (texts.length === 0) return [];
    const key = this.client.apiKey();
    const batches: (readonly string[])[] = [];
    for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
    const task = (options?.progress ?? silentProgress).start('openai encode', texts.length, 'texts');
    try {
      const results = await runPool(batches.length, this.options.concurrency ?? 4, signal, async (b, poolSignal) => {
        const rows = this.parseRows(await this.client.post(this.body(batches[b]), key, poolSignal, options?.progress?.log?.bind(options.progress)), batches[b].length);
        task.tick(rows.length);
        return rows;
      });
      return results.flat();
    } finally {
      task.end();
    }
  }

  private body(batch: readonly string[]): Record<string, unknown> {
    const body: Record<string, unknown> = { model: this.model, input: batch };
    const format = this.options.encodingFormat === undefined ? 'float' : this.options.encodingFormat;
    if (format) body.encoding_format = format;
    if (this.options.dimensions !== undefined) body.dimensions = this.options.dimensions;
    return body;
  }

  private parseRows(json: any, n: number): Float32Array[] {
    const data = json?.data;
    if (!Array.isArray(data)) throw new LmrecError('E_HTTP', `POST ${this.url}: response has no "data" array`, { field: 'data' });
    if (data.length !== n) throw new LmrecError('E_HTTP', `POST ${this.url}: sent ${n} inputs, got ${data.length} embeddings`, { field: 'data' });
    const rows = new Array<Float32Array>(n);
    data.forEach((item: any, position: number) => {
      const index = item?.index ?? position;
      if (!Number.isInteger(index) || index < 0 || index >= n || rows[index]) {
        throw new LmrecError('E_HTTP', `POST ${this.url}: bad or repeated index ${JSON.stringify(item?.index)}`, { field: `data[${position}].index` });
      }
      const embedding = item?.embedding;
      if (!Array.isArray(embedding)) {
        throw new LmrecError('E_HTTP', `POST ${this.url}: embedding is not a float array`, { field: `data[${position}].embedding`, hint: 'the server may not support encoding_format "float"' });
      }
      if (embedding.length !== this.dim) {
        throw new LmrecError('E_DIMENSION', `model ${this.model} returned ${embedding.length}-d embeddings, expected dim ${this.dim}`, {
          field: `data[${position}].embedding`,
          hint: 'set dim to the model\'s embedding size (or pass dimensions if the model supports shortening)',
        });
      }
      const row = Float32Array.from(embedding as number[]);
      if (!row.every(Number.isFinite)) throw new LmrecError('E_HTTP', `POST ${this.url}: embedding has non-finite values`, { field: `data[${position}].embedding` });
      rows[index] = this.options.normalize ? l2Normalize(row) : row;
    });
    return rows;
  }
}
