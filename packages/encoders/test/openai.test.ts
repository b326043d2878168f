import { CapturingProgress } from '@lmrec/core';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiEncoder, parseRetryAfter, type OpenAiEncoderOptions } from '../src/index.js';
import { CONTRACT_TEXTS, textEncoderContract } from '@lmrec/testing';
import { fakeEmbedding, startEmbeddingServer, type Fault, type ServerState } from './helpers/embedding-server.js';

const DIM = 16;
const KEY = 'sk-test-0123456789abcdef';
const KEY_ENV = 'LMREC_TEST_EMBEDDINGS_KEY';
process.env[KEY_ENV] = KEY;

const servers: ServerState[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: { faults?: Fault[]; delayMs?: number; retryAfter?: string; dim?: number } = {}): Promise<ServerState> {
  const server = await startEmbeddingServer({ dim: options.dim ?? DIM, key: KEY, ...options });
  servers.push(server);
  return server;
}

function encoderFor(server: ServerState, extra: Partial<OpenAiEncoderOptions> = {}): OpenAiEncoder {
  return new OpenAiEncoder({ baseUrl: server.url, model: 'test-embed', dim: DIM, apiKeyEnv: KEY_ENV, initialBackoffMs: 1, maxBackoffMs: 20, timeoutMs: 2000, ...extra });
}

function expectRows(rows: Float32Array[], texts: readonly string[]): void {
  expect(rows).toHaveLength(texts.length);
  texts.forEach((t, i) => expect(Array.from(rows[i])).toEqual(Array.from(Float32Array.from(fakeEmbedding(t, DIM)))));
}

let contractServer: ServerState | undefined;
textEncoderContract({
  name: 'openai-compatible HTTP (local server)',
  create: async () => encoderFor((contractServer = await serve()), { normalize: true }),
  twin: () => encoderFor(contractServer!, { normalize: true }),
  normalized: true,
});

describe('OpenAiEncoder', () => {
  it('sends the protocol fields with the key from the environment and orders rows by index', async () => {
    const server = await serve();
    const enc = encoderFor(server, { batchSize: 3, dimensions: DIM });
    const rows = await enc.encode(CONTRACT_TEXTS);
    expectRows(rows, CONTRACT_TEXTS);
    expect(server.requests.map((r) => r.input)).toEqual([CONTRACT_TEXTS.slice(0, 3), CONTRACT_TEXTS.slice(3, 6), CONTRACT_TEXTS.slice(6)]);
    for (const r of server.requests) {
      expect(r.authorization).toBe(`Bearer ${KEY}`);
      expect(r.body).toMatchObject({ model: 'test-embed', encoding_format: 'float', dimensions: DIM });
    }
    expect(enc.id).toBe(`openai(url=${server.url},model=test-embed,dim=${DIM},dimensions=${DIM},raw)`);
    expect(enc.id).not.toContain(KEY);
  });

  it('retries 429, 500, a reset connection and truncated JSON, then succeeds', async () => {
    const server = await serve({ faults: ['429', '500', 'reset', 'truncated'], retryAfter: '0' });
    const progress = new CapturingProgress();
    const rows = await encoderFor(server, { concurrency: 1 }).encode(CONTRACT_TEXTS, { progress });
    expectRows(rows, CONTRACT_TEXTS);
    expect(server.requests).toHaveLength(5);
    const logs = progress.events.filter((e) => e.type === 'log').map((e) => (e as { message: string }).message);
    expect(logs).toHaveLength(4);
    expect(logs.join('\n')).toMatch(/HTTP 429[\s\S]*HTTP 500[\s\S]*network error[\s\S]*not valid JSON/);
    expect(logs.join('\n')).not.toContain(KEY);
  });

  it('times out a hung request and retries it', async () => {
    const server = await serve({ faults: ['hang'] });
    const rows = await encoderFor(server, { timeoutMs: 150 }).encode(['Toy Story']);
    expectRows(rows, ['Toy Story']);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries + 1 attempts', async () => {
    const server = await serve({ faults: Array<Fault>(10).fill('503') });
    await expect(encoderFor(server, { maxRetries: 3 }).encode(['x'])).rejects.toMatchObject({ code: 'E_HTTP', message: expect.stringMatching(/after 4 attempts: HTTP 503/) });
    expect(server.requests).toHaveLength(4);
  });

  it('backs off exponentially with jitter and honours Retry-After', async () => {
    const server = await serve({ faults: ['500', '500', '500', '500'] });
    const delays: number[] = [];
    const sleep = async (ms: number) => void delays.push(ms);
    await encoderFor(server, { initialBackoffMs: 100, maxBackoffMs: 10_000, sleep }).encode(['x']);
    expect(delays).toHaveLength(4);
    delays.forEach((d, k) => {
      expect(d).toBeGreaterThanOrEqual((100 * 2 ** k) / 2);
      expect(d).toBeLessThanOrEqual(100 * 2 ** k);
    });
    const limited = await serve({ faults: ['429'], retryAfter: '7' });
    const waits: number[] = [];
    await encoderFor(limited, { maxBackoffMs: 60_000, sleep: async (ms) => void waits.push(ms) }).encode(['x']);
    expect(waits).toEqual([7000]);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('refuses wrong dimensions without retrying', async () => {
    const server = await serve({ faults: ['wrong-dims'] });
    await expect(encoderFor(server).encode(['x'])).rejects.toMatchObject({ code: 'E_DIMENSION', message: expect.stringMatching(/returned 17-d embeddings, expected dim 16/) });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 401 and never repeats the key', async () => {
    const server = await serve({ faults: ['401'] });
    const error = await encoderFor(server).encode(['x']).catch((e) => e);
    expect(error).toMatchObject({ code: 'E_HTTP' });
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).toContain('***');
    expect(error.message).not.toContain(KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('names a missing key variable, not a value', async () => {
    const server = await serve();
    const enc = encoderFor(server, { apiKeyEnv: 'LMREC_TEST_UNSET_VAR' });
    await expect(enc.encode(['x'])).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/LMREC_TEST_UNSET_VAR is not set/) });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const server = await serve({ delayMs: 20 });
    const texts = Array.from({ length: 20 }, (_, i) => `title ${i}`);
    const rows = await encoderFor(server, { concurrency: 3, batchSize: 2 }).encode(texts);
    expectRows(rows, texts);
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(3);
  });

  it('aborts a hung request promptly', async () => {
    const server = await serve({ faults: ['hang'] });
    const controller = new AbortController();
    const pending = encoderFor(server, { timeoutMs: 60_000 }).encode(['x'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
