import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogueTurn } from '@lmrec/core';
import { crsModelContract, expectLmrecError, pluginFactoryContract } from '@lmrec/testing';
import { completionTitles, crsModelPlugins, crsModule, generatorMessages, LlmGenerator, REINDEX_ORIGIN, RTA_PROMPT } from '../src/index.js';

const titles = ['The Godfather (1972)', 'Goodfellas (1990)', 'Toy Story (1995)', 'Finding Nemo (2003)', 'Alien (1979)', 'Heat (1995)', 'Casino (1995)'];
const turn = (role: DialogueTurn['role'], text: string): DialogueTurn => ({ role, text, items: [] });
const KEY = 'sk-test-secret-123';

/** Fixed completions keyed by a word of the last user message; "flaky" fails once with a 503. */
const COMPLETIONS: Record<string, string> = {
  crime: '1. Goodfellas (1990)\n2. **The Godfather** (1972) - a classic\n3. Scarface (1983)\n4. Goodfellas\n5. Casino (1995)',
  kids: 'Sure! Here you go:\n- Toy Story (1995)\n- Finding Nemo (2004)\n- Finding Nemo',
  flaky: '1. Alien (1979)',
};

let server: Server;
let baseUrl = '';
const requests: { auth?: string; body: any }[] = [];
let flakyFailures = 0;

async function bodyOf(req: IncomingMessage): Promise<any> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    requests.push({ auth: req.headers.authorization, body });
    const user: string = body.messages.at(-1).content;
    const key = Object.keys(COMPLETIONS).find((k) => user.includes(k));
    if (req.url !== '/v1/chat/completions' || !key) {
      res.writeHead(404).end('{"error":"no"}');
      return;
    }
    if (key === 'flaky' && flakyFailures++ === 0) {
      res.writeHead(503).end('busy');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: COMPLETIONS[key] } }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  process.env.LMREC_TEST_LLM_KEY = KEY;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const make = (extra: Record<string, unknown> = {}) => new LlmGenerator({ baseUrl, model: 'fixed', apiKeyEnv: 'LMREC_TEST_LLM_KEY', ...extra });

describe('LlmGenerator against a loopback server with fixed completions', () => {
  it('asks with RTA prompt and the key, matches the titles and scores by list position (checked by hand)', async () => {
    const model = make();
    await model.prepare({ titles });
    const before = requests.length;
    const scores = await model.scoreContexts([[turn('seeker', 'I like crime films'), turn('recommender', 'Any favourites?')]]);
    const sent = requests[before];
    expect(sent.auth).toBe(`Bearer ${KEY}`);
    expect(sent.body.model).toBe('fixed');
    expect(sent.body.messages[0].content).toBe(RTA_PROMPT.system);
    expect(sent.body.messages[1].content).toBe('Here is the conversation: User: I like crime films\nSystem: Any favourites?');
    // titles: Goodfellas -> 1, The Godfather (1972) -> 0, Scarface -> no match, Goodfellas again -> repeat, Casino -> 6
    // ranked [1, 0, 6]: scores 20, 19, 18; every other item 0
    expect(Array.from(scores)).toEqual([19, 20, 0, 0, 0, 0, 18]);
    expect(model.stats).toEqual({ requests: 1, titles: 5, matched: 4, repeated: 1 });
  });

  it('a year one off still matches; a context is asked once however often it is scored', async () => {
    const model = make({ count: 3 });
    await model.prepare({ titles });
    const ctx = [turn('seeker', 'something for my kids')];
    const before = requests.length;
    const a = await model.scoreContexts([ctx, ctx]);
    const b = await model.scoreContexts([ctx]);
    expect(requests.length - before).toBe(1);
    expect(requests[before].body.messages[0].content).toContain('with 3 movie titles');
    // Toy Story -> 2 (score 3), Finding Nemo (2004) -> 3 (one year off, score 2), Finding Nemo again -> repeat
    const row = [0, 0, 3, 2, 0, 0, 0];
    expect(Array.from(a)).toEqual([...row, ...row]);
    expect(Array.from(b)).toEqual(row);
  });

  it('retries a 503; a 404 is an error naming the endpoint without the key', async () => {
    const model = make();
    await model.prepare({ titles });
    expect(Array.from(await model.scoreContexts([[turn('seeker', 'flaky')]]))).toEqual([0, 0, 0, 0, 20, 0, 0]);
    expect(flakyFailures).toBe(2);
    const error = await model.scoreContexts([[turn('seeker', 'unknown request')]]).catch((e: unknown) => e);
    expectLmrecError(error, 'E_HTTP');
    expect(error.message).toContain(`${baseUrl}/chat/completions`);
    expect(error.message).not.toContain(KEY);
  });

  it('a missing key variable is a config error before any request', async () => {
    const model = make({ apiKeyEnv: 'LMREC_TEST_LLM_KEY_UNSET' });
    await model.prepare({ titles });
    const error = await model.scoreContexts([[turn('seeker', 'crime')]]).catch((e: unknown) => e);
    expectLmrecError(error, 'E_CONFIG');
  });

  it('parses list markers, bold and explanations out of the completion lines', () => {
    expect(completionTitles('1. **Heat** (1995) - great\n2) Alien: Covenant (2017)\n\n* Casino — mob\n')).toEqual(['Heat (1995)', 'Alien: Covenant (2017)', 'Casino']);
    expect(generatorMessages([turn('seeker', 'x')], 5).system).toContain('with 5 movie titles');
  });
});

crsModelContract({
  name: 'llm-generator (loopback, fixed completions)',
  create: () => make(),
  catalogue: { titles },
  contexts: [[turn('seeker', 'crime')], [turn('seeker', 'kids')]],
  planted: [{ context: [turn('seeker', 'crime please')], item: 1, k: 1 }],
  secret: KEY,
});

pluginFactoryContract({
  module: crsModule,
  origin: REINDEX_ORIGIN,
  point: 'CrsModel',
  factory: crsModelPlugins.find((f) => f.name === 'llm-generator')!,
  options: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', count: 10 },
  check: (m) => expect(m.id).toContain('n=10'),
});
