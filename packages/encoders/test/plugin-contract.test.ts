import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { DEPS, serializeNpy } from '@lmrec/core';
import { pluginFactoryContract } from '@lmrec/testing';
import { CachedEncoder, ENCODERS_ORIGIN, encodersModule, lexicalPlugin, onnxPlugin, openaiPlugin, precomputedPlugin } from '../src/index.js';
import { writeTinyBert } from './helpers/tiny-bert.js';

const dir = mkdtempSync(join(tmpdir(), 'lmrec-enc-plugins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = writeTinyBert(dir);
const run = [[DEPS.EmbeddingCache, { dir: join(dir, 'cache') }]] as const;
const shared = { module: encodersModule, origin: ENCODERS_ORIGIN, point: 'TextEncoder' as const };

pluginFactoryContract({ ...shared, factory: lexicalPlugin, options: { dim: 8 }, deps: run, check: (e) => void expect(e).toBeInstanceOf(CachedEncoder) });
pluginFactoryContract({ ...shared, factory: onnxPlugin, options: { modelDir: model.dir, cache: false } });
pluginFactoryContract({ ...shared, factory: openaiPlugin, options: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', dim: 3 }, deps: run });

const npy = join(dir, 'emb.npy');
writeFileSync(npy, serializeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]));
writeFileSync(join(dir, 'ids.txt'), 'a\nb\n');
pluginFactoryContract({ ...shared, factory: precomputedPlugin, options: { file: npy, idsFile: join(dir, 'ids.txt') } });
