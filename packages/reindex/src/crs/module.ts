import { definePlugin, DEPS, pluginsModule, type CrsModel, type TextEncoder } from '@lmrec/core';
import { REINDEX_ORIGIN } from '../origin.js';
import { DenseRetriever } from './dense-retriever.js';
import { LlmGenerator } from './llm-generator.js';
import { denseRetrieverOptions, llmGeneratorOptions } from './options.js';

export const crsModelPlugins = [
  definePlugin<CrsModel, typeof denseRetrieverOptions>({
    name: 'dense-retriever',
    description: 'zero-training dense retriever: cosine of the TextEncoder vectors of the context and of each title (+ description)',
    options: denseRetrieverOptions,
    requires: [DEPS.TextEncoder],
    create: (o, deps) => new DenseRetriever(deps.get<TextEncoder>(DEPS.TextEncoder), o),
  }),
  definePlugin<CrsModel, typeof llmGeneratorOptions>({
    name: 'llm-generator',
    description: 'zero-shot LLM behind an OpenAI-compatible chat API: asks for 20 titles, matched to the catalogue',
    options: llmGeneratorOptions,
    create: (o) => new LlmGenerator(o),
  }),
];

/** Binds the reindex package's CrsModel plugins (dense retriever, zero-shot LLM generator). */
export const crsModule = pluginsModule(REINDEX_ORIGIN, { CrsModel: crsModelPlugins });
