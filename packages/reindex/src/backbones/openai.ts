import { LmrecError, type Backbone, type DialogueTurn, type ProgressReporter, type TextEncoder } from '@lmrec/core';
import { displayUrl, OpenAiEncoder } from '@lmrec/encoders';
import { renderContext, renderPrompt, RTA_PROMPT, type PromptTemplate } from '../prompt.js';
import { ArtifactsBackbone } from './artifacts.js';

export interface OpenAiBackboneOptions {
  /** Artifacts folder giving the titles' token ids and the token table (same model as the server). */
  artifacts: string | ArtifactsBackbone;
  /** Any TextEncoder for q; default: the encoders package's OpenAiEncoder built from the options below. */
  encoder?: TextEncoder;
  /** e.g. "http://127.0.0.1:8000/v1" (POST {baseUrl}/embeddings); credentials and query in it never appear in `id`, errors or logs. */
  baseUrl?: string;
  model?: string;
  /** Name of the env var holding the API key (never logged, never in `id`). */
  apiKeyEnv?: string;
  prompt?: PromptTemplate;
  /** Texts per request. Default 32. */
  batchSize?: number;
  /** Per-request timeout, ms. Default 60000. */
  timeoutMs?: number;
  /** Retries on 429 / 5xx / network errors / timeouts. Default 5. */
  maxRetries?: number;
  /** First backoff, ms (doubles per retry, jittered). Default 500. */
  initialBackoffMs?: number;
  fetch?: typeof fetch;
}

/**
 * q from an OpenAI-compatible embeddings endpoint serving the LLM's
 * last-token final hidden state (e.g. a local server of the same model with
 * last-token pooling, no normalisation); the input is the rendered prompt,
 * system message and user message joined by a blank line. The HTTP client
 * (batching, retries with backoff and Retry-After, timeouts, dimension check)
 * is @lmrec/encoders' OpenAiEncoder. Title token ids and token-table rows
 * come from an artifacts folder of that same model, so d must agree.
 */
export class OpenAiBackbone implements Backbone {
  private readonly artifacts: ArtifactsBackbone;
  private readonly prompt: PromptTemplate;
  private encoder?: TextEncoder;

  constructor(readonly options: OpenAiBackboneOptions) {
    this.artifacts = typeof options.artifacts === 'string' ? new ArtifactsBackbone({ dir: options.artifacts }) : options.artifacts;
    this.prompt = options.prompt ?? RTA_PROMPT;
    this.encoder = options.encoder;
    if (!options.encoder && !(options.baseUrl && options.model)) {
      throw new LmrecError('E_ARGUMENT', 'OpenAiBackbone needs `encoder`, or `baseUrl` and `model`', { field: 'baseUrl' });
    }
  }

  /** Names the endpoint without the credentials or query its baseUrl may carry (ids are logged and stored). */
  get id(): string {
    return `openai-backbone:${this.options.encoder?.id ?? `${displayUrl(this.options.baseUrl!)}:${this.options.model}`}:${this.artifacts.id}`;
  }

  get dim(): number {
    return this.artifacts.dim;
  }

  /** Backbone.ready: loads the artifacts (titles, token table) so that `dim` is known. */
  async ready(): Promise<void> {
    await this.load();
  }

  async load(): Promise<this> {
    await this.artifacts.load();
    this.encoder ??= new OpenAiEncoder({
      baseUrl: this.options.baseUrl!,
      model: this.options.model!,
      dim: this.dim,
      apiKeyEnv: this.options.apiKeyEnv,
      batchSize: this.options.batchSize ?? 32,
      timeoutMs: this.options.timeoutMs,
      maxRetries: this.options.maxRetries,
      initialBackoffMs: this.options.initialBackoffMs,
      normalize: false,
      fetch: this.options.fetch,
    });
    return this;
  }

  /** The text sent for a context. */
  promptText(turns: readonly DialogueTurn[]): string {
    const { system, user } = renderPrompt(this.prompt, renderContext(turns));
    return `${system}\n\n${user}`;
  }

  async contextVectors(contexts: readonly (readonly DialogueTurn[])[], options: { signal?: AbortSignal; progress?: ProgressReporter } = {}): Promise<Float32Array[]> {
    await this.load();
    if (contexts.length === 0) return [];
    const vectors = await this.encoder!.encode(contexts.map((t) => this.promptText(t)), { signal: options.signal, progress: options.progress });
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
}
