import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLmrecError, parseSafetensors, Rng, writeSafetensors } from '@lmrec/core';
import { hashToken, lexicalTokens } from '@lmrec/encoders';
import { ArtifactsBackbone, encodeContexts, exportBackboneArtifacts, LexicalBackbone, OpenAiBackbone, renderContext, renderPrompt, RTA_PROMPT, contextKey, writeExportInputs } from '../src/index.js';
import { backboneContract } from '@lmrec/testing';
import { CONTEXTS, TITLES } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'reindex-bb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const examples = CONTEXTS.map((context, i) => ({ id: `ex${i}`, context }));
const artifactsDir = join(tmp, 'art');
const lexical = new LexicalBackbone({ dim: 24, vocabBits: 12, seed: 3 });
let exported: Promise<void> | undefined;
const ensureExported = () => (exported ??= exportBackboneArtifacts(lexical, artifactsDir, { titles: TITLES, examples, model: 'lexical-test' }));

backboneContract({ name: 'lexical', create: async () => lexical, contexts: CONTEXTS, titles: TITLES });
backboneContract({
  name: 'artifacts',
  create: async () => {
    await ensureExported();
    return ArtifactsBackbone.open(artifactsDir);
  },
  contexts: CONTEXTS,
  titles: TITLES,
});

// An OpenAI-compatible server on loopback that embeds by running the lexical backbone on the prompt's context
let server: Server | undefined;
const requests: { auth?: string; input: string[] }[] = [];
let failFirst = 1;
backboneContract({
  name: 'openai',
  create: async () => {
    await ensureExported();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const parsed = JSON.parse(body) as { input: string[] };
        requests.push({ auth: req.headers.authorization, input: parsed.input });
        if (failFirst-- > 0) {
          res.writeHead(503, { 'retry-after': '0' }).end('busy');
          return;
        }
        // the server "model": lexical vector of the text after the prompt prefix
        const data = parsed.input.map((text, index) => {
          const ctx = text.split('Here is the conversation: ')[1] ?? text;
          const turns = ctx.split('\n').map((line) => ({ role: 'seeker' as const, text: line.replace(/^(User|System): /, ''), items: [] }));
          return { index, embedding: [...lexical.contextVector(turns)] };
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: data.reverse() }));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    process.env.REINDEX_TEST_KEY = 'sk-test';
    const b = new OpenAiBackbone({ artifacts: artifactsDir, baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', apiKeyEnv: 'REINDEX_TEST_KEY', initialBackoffMs: 1, batchSize: 2 });
    return b.load();
  },
  teardown: async () => {
    await new Promise<void>((r) => server?.close(() => r()));
  },
  contexts: CONTEXTS,
  titles: TITLES,
});

describe('lexical backbone', () => {
  it('q is the recency-weighted sum of hashed word rows, L2-normalised (independent recomputation)', async () => {
    const b = new LexicalBackbone({ dim: 16, vocabBits: 10, seed: 5, recencyDecay: 0.5 });
    const turns = CONTEXTS[0];
    const q = (await b.contextVectors([turns]))[0];
    const expected = new Float64Array(16);
    for (const [t, turn] of turns.entries()) {
      const ids = lexicalTokens(turn.text).map((w) => hashToken(w, 5) % 1024);
      const rows = await b.tokenEmbeddings(ids);
      const w = 0.5 ** (turns.length - 1 - t);
      for (let k = 0; k < ids.length; k++) for (let j = 0; j < 16; j++) expected[j] += w * rows[k * 16 + j];
    }
    const norm = Math.hypot(...expected);
    for (let j = 0; j < 16; j++) expect(q[j]).toBeCloseTo(expected[j] / norm, 5);
  });

  it('rows are seeded N(0, 1/d): same seed same row, other seed other row, near-orthogonal', async () => {
    const a = await new LexicalBackbone({ dim: 256, seed: 1 }).tokenEmbeddings([7, 8]);
    const b = await new LexicalBackbone({ dim: 256, seed: 1 }).tokenEmbeddings([7]);
    const c = await new LexicalBackbone({ dim: 256, seed: 2 }).tokenEmbeddings([7]);
    expect([...b]).toEqual([...a.subarray(0, 256)]);
    expect([...c]).not.toEqual([...b]);
    let dot = 0;
    let sq = 0;
    for (let j = 0; j < 256; j++) {
      dot += a[j] * a[256 + j];
      sq += a[j] * a[j];
    }
    expect(Math.abs(sq - 1)).toBeLessThan(0.3);
    expect(Math.abs(dot)).toBeLessThan(0.3);
  });

  it('IDF fit down-weights common words', async () => {
    const b = new LexicalBackbone({ dim: 64, seed: 1 });
    b.fit(['the movie', 'the film', 'the heist', 'the end']);
    const [the, heist] = await b.tokenEmbeddings(b.tokenIds('the heist'));
    void the;
    void heist;
    const q = b.contextVector([{ role: 'seeker', text: 'the heist', items: [] }]);
    const rows = await b.tokenEmbeddings(b.tokenIds('the heist'));
    const dotThe = rows.subarray(0, 64).reduce((s, x, j) => s + x * q[j], 0);
    const dotHeist = rows.subarray(64).reduce((s, x, j) => s + x * q[j], 0);
    expect(dotHeist).toBeGreaterThan(dotThe);
  });
});

describe('artifacts backbone', () => {
  it('round trip: the exported folder reproduces the source backbone exactly', async () => {
    await ensureExported();
    const a = await ArtifactsBackbone.open(artifactsDir);
    expect(a.dim).toBe(24);
    expect(a.manifest.model).toBe('lexical-test');
    expect(a.manifest.prompt).toEqual(RTA_PROMPT);
    expect(await a.tokenize(TITLES)).toEqual(await lexical.tokenize(TITLES));
    const ids = [...new Set((await lexical.tokenize(TITLES)).flat())];
    expect([...(await a.tokenEmbeddings(ids))]).toEqual([...(await lexical.tokenEmbeddings(ids))]);
    expect((await a.contextVectors(CONTEXTS)).map((v) => [...v])).toEqual((await lexical.contextVectors(CONTEXTS)).map((v) => [...v]));
    expect((await a.contextVectorsForIds(['ex2', 'ex0'])).map((v) => [...v])).toEqual([[...lexical.contextVector(CONTEXTS[2])], [...lexical.contextVector(CONTEXTS[0])]]);
    // encodeContexts: rows by example id for artifacts, encoded turns otherwise; one [n * d] matrix
    const fromIds = await encodeContexts(a, [examples[2], examples[0]]);
    const fromTurns = await encodeContexts(lexical, [examples[2], examples[0]], { batchSize: 1 });
    expect(fromIds.length).toBe(48);
    expect([...fromIds]).toEqual([...fromTurns]);
    // the file layout is what the README documents
    const st = parseSafetensors(new Uint8Array(readFileSync(join(artifactsDir, 'artifacts.safetensors'))));
    expect(Object.keys(st.tensors).sort()).toEqual(['context_vectors', 'title_offsets', 'title_token_ids', 'token_embeddings', 'token_ids']);
    expect(st.tensors.context_vectors.shape).toEqual([3, 24]);
    expect(st.tensors.title_offsets.shape).toEqual([TITLES.length + 1]);
    const manifest = JSON.parse(readFileSync(join(artifactsDir, 'manifest.json'), 'utf8'));
    expect(manifest.context_keys[1]).toBe(contextKey(CONTEXTS[1]));
  });

  it('reads a full-vocabulary table in F16 with I64 ids (as a Python export writes it)', async () => {
    const dir = join(tmp, 'full');
    const V = 10;
    const d = 4;
    const rng = new Rng(1);
    const table = Float32Array.from({ length: V * d }, () => Math.round(rng.normal() * 64) / 64);
    await writeSafetensors(join(dir, 'artifacts.safetensors'), {
      token_embeddings: { dtype: 'F16', shape: [V, d], data: table },
      title_token_ids: { dtype: 'I64', shape: [5], data: BigInt64Array.from([1n, 2n, 9n, 0n, 3n]) },
      title_offsets: { dtype: 'I64', shape: [3], data: BigInt64Array.from([0n, 3n, 5n]) },
      context_vectors: { dtype: 'F32', shape: [1, d], data: Float32Array.from([1, 2, 3, 4]) },
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'lmrec-rta-artifacts', version: 1, model: 'x', prompt: RTA_PROMPT, dim: d, titles: ['A', 'B'], example_ids: ['e'] }));
    const a = await ArtifactsBackbone.open(dir);
    expect(await a.tokenize(['B', 'A'])).toEqual([[0, 3], [1, 2, 9]]);
    expect([...(await a.tokenEmbeddings([9, 0]))]).toEqual([...table.subarray(36, 40), ...table.subarray(0, 4)]);
    expect([...(await a.contextVectorsForIds(['e']))[0]]).toEqual([1, 2, 3, 4]);
    await expect(a.contextVectors([CONTEXTS[0]])).rejects.toThrow(/context_keys/);
    await expect(a.tokenize(['C'])).rejects.toThrow(/"C" is not in the artifacts/);
    await expect(a.tokenEmbeddings([10])).rejects.toThrow(/token id 10/);
  });

  it('rejects inconsistent artifacts with the file and field', async () => {
    const dir = join(tmp, 'bad');
    await writeSafetensors(join(dir, 'artifacts.safetensors'), {
      token_embeddings: { dtype: 'F32', shape: [2, 2], data: new Float32Array(4) },
      title_token_ids: { dtype: 'I32', shape: [2], data: Int32Array.from([0, 5]) },
      title_offsets: { dtype: 'I32', shape: [2], data: Int32Array.from([0, 2]) },
      context_vectors: { dtype: 'F32', shape: [0, 2], data: new Float32Array(0) },
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'lmrec-rta-artifacts', version: 1, model: 'x', dim: 2, titles: ['A'], example_ids: [] }));
    const err = await ArtifactsBackbone.open(dir).catch((e) => e);
    expect(isLmrecError(err, 'E_ARTIFACTS')).toBe(true);
    expect(err.field).toBe('title_token_ids');
    expect(err.message).toMatch(/token id 5 has no embedding row/);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'other', version: 1, dim: 2, titles: [], example_ids: [] }));
    await expect(new ArtifactsBackbone({ dir }).load()).rejects.toThrow(/manifest.json.*field "format"/);
  });

  it('writes prompts.jsonl + titles.json for an external exporter', async () => {
    const dir = join(tmp, 'inputs');
    await writeExportInputs(dir, { titles: TITLES, examples });
    const lines = readFileSync(join(dir, 'prompts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(3);
    expect(lines[0].id).toBe('ex0');
    expect(lines[0].key).toBe(contextKey(CONTEXTS[0]));
    expect(lines[0].user).toBe(renderPrompt(RTA_PROMPT, renderContext(CONTEXTS[0])).user);
    expect(lines[0].context).toBe('User: Hi, I loved Toy Story (1995), anything similar?\nSystem: Have you seen Jumanji (1995)?');
    expect(JSON.parse(readFileSync(join(dir, 'titles.json'), 'utf8')).titles).toEqual(TITLES);
  });
});

describe('openai backbone', () => {
  it('sent the rendered prompt with the key, retried a 503, and matches the server model', () => {
    expect(requests.length).toBeGreaterThan(1);
    expect(requests[0].auth).toBe('Bearer sk-test');
    expect(requests.every((r) => r.input.length <= 2)).toBe(true);
    const first = requests.find((r) => r.input.some((t) => t.includes('Toy Story')))!;
    expect(first.input[0].startsWith(RTA_PROMPT.system)).toBe(true);
  });
});
