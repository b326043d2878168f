import { CapturingProgress } from '@lmrec/core';
import { afterEach, describe, expect, it } from 'vitest';
import { displayUrl, OpenAiEncoder, redactSecrets } from '../src/index.js';
import { fakeEmbedding, startEmbeddingServer, type ServerState } from './helpers/embedding-server.js';

// A baseUrl with credentials and a key in its query: both reach the server
// (Basic auth, the query string) and neither appears in the id, an error or a log line.
const DIM = 8;
const PASSWORD = 's3cr3t-pw';
const QUERY_KEY = 'x';
const BASIC = Buffer.from(`alice:${PASSWORD}`).toString('base64');

const servers: ServerState[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(faults?: ('401' | '500')[]): Promise<ServerState> {
  const server = await startEmbeddingServer({ dim: DIM, faults, echoUrl: true });
  servers.push(server);
  return server;
}

const withSecrets = (url: string) => url.replace('http://', `http://alice:${PASSWORD}@`) + `?api_key=${QUERY_KEY}&api-version=2024-06`;

function expectClean(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(BASIC);
  expect(text).not.toMatch(/api_key=(?!\*\*\*)/);
  expect(text).not.toContain('alice:');
}

describe('OpenAiEncoder with credentials in baseUrl', () => {
  it('sends them as Basic auth and the query string, and keeps them out of id and url', async () => {
    const server = await serve();
    const enc = new OpenAiEncoder({ baseUrl: withSecrets(server.url), model: 'm', dim: DIM });
    const rows = await enc.encode(['Heat', 'Alien']);
    expect(Array.from(rows[1])).toEqual(Array.from(Float32Array.from(fakeEmbedding('Alien', DIM))));
    expect(server.requests[0].authorization).toBe(`Basic ${BASIC}`);
    expect(server.requests[0].url).toBe(`/v1/embeddings?api_key=${QUERY_KEY}&api-version=2024-06`);
    expect(enc.id).toBe(`openai(url=${server.url},model=m,dim=${DIM},raw)`);
    expect(enc.url).toBe(`${server.url}/embeddings`);
    expectClean(enc.id);
  });

  it('an error whose body echoes the credentials and the URL does not repeat them', async () => {
    const server = await serve(['401']);
    const error = await new OpenAiEncoder({ baseUrl: withSecrets(server.url), model: 'm', dim: DIM }).encode(['Heat']).catch((e: Error) => e);
    expect((error as { code?: string }).code).toBe('E_HTTP');
    expect((error as Error).message).toMatch(/HTTP 401: .*invalid key: Basic \*\*\* \(\*\*\*\) for \/v1\/embeddings\?api_key=\*\*\*&api-version=\*\*\*/);
    expectClean((error as Error).message);
    expectClean(JSON.stringify(error));
  });

  it('retry log lines and the final error after retries are clean too', async () => {
    const server = await serve(['500', '500']);
    const progress = new CapturingProgress();
    const error = await new OpenAiEncoder({ baseUrl: withSecrets(server.url), model: 'm', dim: DIM, maxRetries: 1, initialBackoffMs: 1 }).encode(['Heat'], { progress }).catch((e: Error) => e);
    const logs = progress.events.filter((e) => e.type === 'log').map((e) => (e as { message: string }).message);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/HTTP 500: .*boom at \/v1\/embeddings\?api_key=\*\*\*/);
    expect((error as Error).message).toMatch(/failed after 2 attempts/);
    [...logs, (error as Error).message].forEach(expectClean);
  });

  it('a network error (nothing listening) names the endpoint without its secrets', async () => {
    const server = await serve();
    const baseUrl = withSecrets(server.url);
    await server.close();
    servers.pop();
    const error = await new OpenAiEncoder({ baseUrl, model: 'm', dim: DIM, maxRetries: 0 }).encode(['Heat']).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings failed after 1 attempts: network error/);
    expectClean((error as Error).message);
  });

  it('refuses credentials in the URL together with apiKeyEnv', () => {
    expect(() => new OpenAiEncoder({ baseUrl: 'https://alice:pw@host/v1', model: 'm', dim: 2, apiKeyEnv: 'K' })).toThrow(/give one of them/);
  });
});

describe('URL redaction helpers', () => {
  it('displayUrl drops user info and query', () => {
    expect(displayUrl('https://user:pw@host:8443/v1/?api_key=x#frag')).toBe('https://host:8443/v1');
    expect(displayUrl('not a url')).toBe('(invalid URL)');
  });

  it('redactSecrets replaces secrets, user:pw@ prefixes and query values of any length', () => {
    expect(redactSecrets('GET https://bob:hunter22@h/v1?api_key=x&v=1 failed: hunter22', ['hunter22'], ['api_key', 'v'])).toBe('GET https://***@h/v1?api_key=***&v=*** failed: ***');
    // a short secret is replaced only where it appears as a parameter value
    expect(redactSecrets('x marks api_key=x', ['x'], ['api_key'])).toBe('x marks api_key=***');
  });
});
