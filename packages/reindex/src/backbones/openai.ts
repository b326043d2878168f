import { LmrecError, Rng, type Backbone, type DialogueTurn, type TextEncoder } from '@lmrec/core';
import { renderContext, renderPrompt, RTA_PROMPT, type PromptTemplate } from '../prompt.js';
import { ArtifactsBackbone } from './artifacts.js';

export interface OpenAiBackboneOptions {
  /** Artifacts folder giving the titles' token ids and the token table (same model as the server). */
  artifacts: string | ArtifactsBackbone;
  /** Any TextEncoder for q (e.g. the encoders package's OpenAI encoder); otherwise the built-in client below is used. */
  encoder?: TextEncoder;
  /** e.g. "http://127.0.0.1:8000/v1" (POST {baseUrl}/embeddings). */
  baseUrl?: string;
  model?: string;
  /** Name of the env var holding the API key (the key itself is never logged or stored in `id`). */
  apiKeyEnv?: string;
  prompt?: PromptTemplate;
  /** Texts per request. Default 32. */
  batchSize?: number;
  /** Per-request timeout, ms. Default 60000. */
  timeoutMs?: number;
  /** Retries on 429 / 5xx / network errors / timeouts. Default 4. */
  retries?: number;
  /** Base of the exponential backoff, ms. Default 500. */
  backoffMs?: number;
  fetch?: typeof fetch;
}

/**
 * q from an OpenAI-compatible embeddings endpoint serving the LLM's
 * last-token final hidden state (e.g. a local server of the same model with
 * last-token pooling); the input is the rendered prompt, system message and
 * user message joined by a blank line. Title token ids and token-table rows
 * come from an artifacts folder of that same model (`tokenize` /
 * `tokenEmbeddings` are delegated to it), so d must agree: it is checked.
 */
export class OpenAiBackbone implements Backbone {
  private readonly artifacts: ArtifactsBackbone;
  private readonly prompt: PromptTemplate;
  /** Backoff jitter (seeded like every other draw in lmrec). */
  private readonly jitter = new Rng(0x6a177e2);

  constructor(readonly options: OpenAiBackboneOptions) {
    this.artifacts = typeof options.artifacts === 'string' ? new ArtifactsBackbone({ dir: options.artifacts }) : options.artifacts;
    this.prompt = options.prompt ?? RTA_PROMPT;
    if (!options.encoder && !options.baseUrl) {
      throw new LmrecError('E_ARGUMENT', 'OpenAiBackbone needs `encoder` or `baseUrl`', { field: 'baseUrl' });
    }
  }

  get id(): string {
    return `openai-backbone:${this.options.encoder?.id ?? `${this.options.baseUrl}:${this.options.model ?? ''}`}:${this.artifacts.id}`;
  }

  get dim(): number {
    return this.artifacts.dim;
  }

  async load(): Promise<this> {
    await this.artifacts.load();
    return this;
  }

  /** The text sent for a context. */
  promptText(turns: readonly DialogueTurn[]): string {
    const { system, user } = renderPrompt(this.prompt, renderContext(turns));
    return `${system}\n\n${user}`;
  }

  async contextVectors(contexts: readonly (readonly DialogueTurn[])[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    await this.load();
    const texts = contexts.map((t) => this.promptText(t));
    const vectors = this.options.encoder ? await this.options.encoder.encode(texts, { signal: options.signal }) : await this.request(texts, options.signal);
    vectors.forEach((v, i) => {
      if (v.length !== this.dim) {
        throw new LmrecError('E_SHAPE', `embedding ${i} has ${v.length} dims but the artifacts' token table has ${this.dim}`, {
          hint: 'serve the same model as the artifacts, with last-token pooling and no normalisation',
        });
      }
    });
    return vectors;
  }

  tokenize(titles: readonly string[]): Promise<number[][]> {
    return this.artifacts.tokenize(titles);
  }

  tokenEmbeddings(ids: readonly number[]): Promise<Float32Array> {
    return this.artifacts.tokenEmbeddings(ids);
  }

  private async request(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const size = this.options.batchSize ?? 32;
    for (let s = 0; s < texts.length; s += size) out.push(...(await this.post(texts.slice(s, s + size), signal)));
    return out;
  }

  private async post(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const doFetch = this.options.fetch ?? fetch;
    const url = `${this.options.baseUrl!.replace(/\/+$/, '')}/embeddings`;
    const key = this.options.apiKeyEnv ? process.env[this.options.apiKeyEnv] : undefined;
    const retries = this.options.retries ?? 4;
    const backoff = this.options.backoffMs ?? 500;
    let lastError = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (signal?.aborted) throw new LmrecError('E_ABORTED', 'embedding request aborted');
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let retryAfterMs: number | undefined;
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
          body: JSON.stringify({ model: this.options.model, input, encoding_format: 'float' }),
          signal: combined,
        });
        if (res.ok) {
          const body = (await res.json()) as { data?: { index: number; embedding: number[] }[] };
          if (!Array.isArray(body.data) || body.data.length !== input.length) {
            throw new LmrecError('E_HTTP', `${url}: expected ${input.length} embeddings, got ${Array.isArray(body.data) ? body.data.length : 'no data'}`);
          }
          const rows = new Array<Float32Array>(input.length);
          for (const item of body.data) rows[item.index] = Float32Array.from(item.embedding);
          if (rows.some((r) => r === undefined)) throw new LmrecError('E_HTTP', `${url}: response indices do not cover the batch`);
          return rows;
        }
        lastError = `HTTP ${res.status}`;
        if (res.status !== 429 && res.status < 500) throw new LmrecError('E_HTTP', `${url}: ${lastError}`, { hint: res.status === 401 ? `check the key in $${this.options.apiKeyEnv}` : undefined });
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra >= 0) retryAfterMs = ra * 1000;
      } catch (error) {
        if (error instanceof LmrecError) throw error;
        if (signal?.aborted) throw new LmrecError('E_ABORTED', 'embedding request aborted', { cause: error });
        lastError = (error as Error).message;
      }
      if (attempt < retries) await sleep(retryAfterMs ?? backoff * 2 ** attempt * (0.5 + this.jitter.float() * 0.5));
    }
    throw new LmrecError('E_HTTP', `${url}: failed after ${retries + 1} attempts (${lastError})`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
