import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = '429' | '500' | '503' | 'hang' | 'truncated' | 'reset' | 'wrong-dims' | '401' | 'ok';

/** The server's "model": a deterministic function of the text, computed independently of the client. */
export function fakeEmbedding(text: string, dim: number): number[] {
  const out = new Array<number>(dim).fill(0);
  const cps = Array.from(text);
  cps.forEach((ch, i) => {
    out[(ch.codePointAt(0)! + i) % dim] += 1;
  });
  out[dim - 1] += cps.length / 100;
  return out;
}

export interface ServerState {
  url: string;
  requests: { input: string[]; body: any; authorization?: string; url?: string }[];
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * A local OpenAI-compatible `/v1/embeddings` server (127.0.0.1, port 0).
 * `faults` is consumed one entry per request (then 'ok'); responses list
 * `data` in reverse order so the client must sort by `index`.
 */
export async function startEmbeddingServer(options: { dim: number; faults?: Fault[]; delayMs?: number; retryAfter?: string; key?: string; echoUrl?: boolean }): Promise<ServerState> {
  const faults = [...(options.faults ?? [])];
  const state = { requests: [] as ServerState['requests'], maxInFlight: 0, inFlight: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      const done = () => state.inFlight--;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      state.requests.push({ input: body.input, body, authorization: req.headers.authorization, url: req.url });
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/embeddings') {
        res.writeHead(404).end('not found');
        return done();
      }
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const fault = faults.shift() ?? 'ok';
      if (options.key !== undefined && req.headers.authorization !== `Bearer ${options.key}` && fault !== '401') {
        res.writeHead(401).end(JSON.stringify({ error: 'bad key' }));
        return done();
      }
      if (fault === 'hang') return; // never answers; closed when the server stops
      if (fault === '429') {
        res.writeHead(429, options.retryAfter === undefined ? {} : { 'retry-after': options.retryAfter }).end('{"error":"rate limited"}');
        return done();
      }
      if (fault === '500' || fault === '503') {
        res.writeHead(Number(fault)).end(options.echoUrl ? JSON.stringify({ error: `boom at ${req.url} for ${req.headers.authorization}` }) : '{"error":"boom"}');
        return done();
      }
      if (fault === '401') {
        // Echoes the credentials, as some proxies do: the client must not repeat them.
        const auth = req.headers.authorization ?? '';
        const basic = auth.startsWith('Basic ') ? ` (${Buffer.from(auth.slice(6), 'base64').toString('utf8')})` : '';
        res.writeHead(401).end(JSON.stringify({ error: `invalid key: ${auth}${basic} for ${req.url}` }));
        return done();
      }
      if (fault === 'reset') {
        req.socket.destroy();
        return done();
      }
      const dim = fault === 'wrong-dims' ? options.dim + 1 : options.dim;
      const data = (body.input as string[]).map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, dim) })).reverse();
      const json = JSON.stringify({ object: 'list', model: body.model, data, usage: { prompt_tokens: 1, total_tokens: 1 } });
      if (fault === 'truncated') {
        // Chunked body that ends cleanly half-way: only JSON parsing can notice.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(json.slice(0, Math.floor(json.length / 2)));
        return done();
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(json);
      done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: state.requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
