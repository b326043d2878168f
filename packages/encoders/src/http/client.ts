import { LmrecError, Rng } from '@lmrec/core';
import { abortableSleep, parseRetryAfter } from './retry.js';
import { endpointUrl, redactSecrets, type EndpointUrl } from './url.js';

export interface JsonPostClientOptions {
  /** Server root including the API prefix, e.g. "http://127.0.0.1:8080/v1"; credentials in it become Basic auth. */
  baseUrl: string;
  /** Path appended to baseUrl, e.g. "/embeddings" or "/chat/completions". */
  path: string;
  /** Who speaks in messages ("openai encoder", "llm-generator"). */
  owner: string;
  /** Environment variable holding the API key (sent as `Authorization: Bearer`); never logged, never in errors. */
  apiKeyEnv?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Retries after the first attempt, per request. Default 5. */
  maxRetries?: number;
  /** First backoff; doubles per retry, with jitter in [delay/2, delay]. Default 500 ms. */
  initialBackoffMs?: number;
  /** Backoff and Retry-After cap. Default 60 s. */
  maxBackoffMs?: number;
  /** Per-request timeout (a timeout is retried). Default 60 s. */
  timeoutMs?: number;
  /** Seed of the jitter draws. Default 0. */
  seed?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * JSON POSTs to an OpenAI-compatible server: the API key from an environment
 * variable (or the URL's credentials as Basic auth), retries with
 * exponential backoff and jitter on 429, 5xx, timeouts, network errors and
 * unparsable bodies (honouring Retry-After), and every secret redacted from
 * what is echoed back. Shared by the embeddings encoder and the chat clients.
 */
export class JsonPostClient {
  /** The endpoint as shown in messages: no credentials, no query. */
  readonly url: string;
  private readonly endpoint: EndpointUrl;
  private readonly rng: Rng;

  constructor(private readonly options: JsonPostClientOptions) {
    this.endpoint = endpointUrl(options.baseUrl, options.path, options.owner);
    if (this.endpoint.basicAuth && options.apiKeyEnv) {
      throw new LmrecError('E_ARGUMENT', `${options.owner}: baseUrl carries credentials and apiKeyEnv names a key; give one of them`, { field: 'apiKeyEnv' });
    }
    this.url = this.endpoint.shown;
    this.rng = new Rng(options.seed ?? 0);
  }

  /** The API key (read when a request starts, so a config can be checked without it). */
  apiKey(): string | undefined {
    const name = this.options.apiKeyEnv;
    if (!name) return undefined;
    const key = process.env[name];
    if (!key) throw new LmrecError('E_CONFIG', `${this.options.owner}: environment variable ${name} is not set`, { field: 'apiKeyEnv', hint: `export ${name}=<your API key>` });
    return key;
  }

  /** POSTs `body` until a 2xx JSON answer, retrying what is transient; the parsed JSON. */
  async post(body: unknown, key: string | undefined, signal: AbortSignal, log?: (message: string) => void): Promise<unknown> {
    const maxRetries = this.options.maxRetries ?? 5;
    const initial = this.options.initialBackoffMs ?? 500;
    const cap = this.options.maxBackoffMs ?? 60_000;
    const sleep = this.options.sleep ?? abortableSleep;
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      try {
        return await this.request(body, key, signal);
      } catch (error) {
        if (!(error instanceof RetryableError) || signal.aborted) throw this.redact(error, key);
        if (attempt >= maxRetries) {
          throw new LmrecError('E_HTTP', `POST ${this.url} failed after ${attempt + 1} attempts: ${this.redactText(error.message, key)}`, {
            hint: 'the server kept failing; check that it is up and not overloaded, or raise maxRetries',
          });
        }
        const exp = Math.min(cap, initial * 2 ** attempt);
        const jittered = exp / 2 + (this.rng.float() * exp) / 2;
        const delay = error.retryAfterMs !== undefined ? Math.min(cap, error.retryAfterMs) : jittered;
        log?.(`${this.options.owner}: ${this.redactText(error.message, key)}; retry ${attempt + 1}/${maxRetries} in ${Math.round(delay)} ms`);
        await sleep(delay, signal);
      }
    }
  }

  private async request(body: unknown, key: string | undefined, signal: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.options.headers };
    if (key) headers.authorization = `Bearer ${key}`;
    else if (this.endpoint.basicAuth) headers.authorization = this.endpoint.basicAuth;
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const doFetch = this.options.fetch ?? fetch;
    let text: string;
    let status: number;
    let retryAfter: string | null;
    try {
      const response = await doFetch(this.endpoint.request, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.any([signal, timeout]) });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timeout.aborted) throw new RetryableError(`no response within ${timeoutMs} ms`);
      throw new RetryableError(`network error: ${(error as Error).message}${causeText(error)}`);
    }
    if (status === 429 || status >= 500) throw new RetryableError(`HTTP ${status}: ${snippet(this.redactText(text, key))}`, parseRetryAfter(retryAfter));
    if (status < 200 || status >= 300) {
      throw new LmrecError('E_HTTP', `POST ${this.url}: HTTP ${status}: ${snippet(this.redactText(text, key))}`, {
        hint: status === 401 || status === 403 ? `check the API key in ${this.options.apiKeyEnv ?? '(no apiKeyEnv set)'}` : status === 404 ? 'check baseUrl (it usually ends in /v1) and the model name' : undefined,
      });
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      // A cut connection can still end a chunked body cleanly: treat as transient.
      throw new RetryableError(`response is not valid JSON (${(error as Error).message}; ${text.length} bytes)`);
    }
  }

  /** `text` without the API key, the URL's credentials or its query values. */
  redactText(text: string, key: string | undefined): string {
    return redactSecrets(text, key ? [key, ...this.endpoint.secrets] : this.endpoint.secrets, this.endpoint.queryKeys);
  }

  private redact(error: unknown, key: string | undefined): unknown {
    if (error instanceof Error) {
      const clean = this.redactText(error.message, key);
      if (clean !== error.message) error.message = clean;
    }
    return error;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)';
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause ? ` (${cause.code ?? cause.message})` : '';
}
