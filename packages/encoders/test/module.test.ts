import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPS, TYPES, createContainer, depsOf, type PluginRegistry, type TextEncoder } from '@lmrec/core';
import { afterAll, describe, expect, it } from 'vitest';
import { CachedEncoder, LexicalEncoder, OpenAiEncoder, encodersModule } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lmrec-mod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encodersModule', () => {
  it('binds glove, lexical, onnx, openai and precomputed under TextEncoder', async () => {
    const container = createContainer();
    await container.load(encodersModule);
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(registry.names('TextEncoder')).toEqual(['glove', 'lexical', 'onnx', 'openai', 'precomputed']);
    const lexical = registry.create<TextEncoder>('TextEncoder', 'lexical', { dim: 16, projectionSeed: 4 });
    expect(lexical).toBeInstanceOf(LexicalEncoder);
    const direct = new LexicalEncoder({ dim: 16, projectionSeed: 4 });
    expect(lexical.id).toBe(direct.id);
    expect(Array.from((await lexical.encode(['Toy Story']))[0])).toEqual(Array.from((await direct.encode(['Toy Story']))[0]));
    const withCache = registry.create<TextEncoder>('TextEncoder', 'openai', { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', dim: 3, cache: { dir } });
    expect(withCache).toBeInstanceOf(CachedEncoder);
    expect((withCache as CachedEncoder).inner).toBeInstanceOf(OpenAiEncoder);
    expect(() => registry.create('TextEncoder', 'onnx', { modelDir: join(dir, 'nope') })).toThrow(/config\.json/);
  });

  it("caches in the run's folder unless the plugin names its own or turns caching off", async () => {
    const container = createContainer();
    await container.load(encodersModule);
    const registry = container.get<PluginRegistry>(TYPES.PluginRegistry);
    const run = depsOf([[DEPS.EmbeddingCache, { dir: join(dir, 'run-cache') }]]);
    const inRun = registry.create<CachedEncoder>('TextEncoder', 'lexical', { dim: 8 }, run);
    expect(inRun).toBeInstanceOf(CachedEncoder);
    await inRun.encode(['Alien']);
    expect(inRun.lastStats.encoded).toBe(1);
    const again = registry.create<CachedEncoder>('TextEncoder', 'lexical', { dim: 8 }, run);
    await again.encode(['Alien']);
    expect([again.lastStats.hits, again.lastStats.encoded]).toEqual([1, 0]);
    expect(registry.create('TextEncoder', 'lexical', { dim: 8, cache: false }, run)).toBeInstanceOf(LexicalEncoder);
    expect(registry.create('TextEncoder', 'lexical', { dim: 8 })).toBeInstanceOf(LexicalEncoder);
    expect(() => registry.create('TextEncoder', 'lexical', { dimm: 8 })).toThrow(/field "dimm": unknown option of TextEncoder "lexical" \(did you mean "dim"\?\)/);
    expect(() => registry.create('TextEncoder', 'openai', { baseUrl: 'not a url', model: 'm', dim: 3 })).toThrow(/field "baseUrl"/);
  });
});
