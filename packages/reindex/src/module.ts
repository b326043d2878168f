import { definePlugin, DEPS, pluginsModule, type Aggregator, type Backbone, type PluginDeps } from '@lmrec/core';
import type { z } from 'zod';
import { createAggregator } from './aggregators/index.js';
import { ArtifactsBackbone } from './backbones/artifacts.js';
import { GloveBackbone } from './backbones/glove.js';
import { LexicalBackbone } from './backbones/lexical.js';
import { OpenAiBackbone } from './backbones/openai.js';
import { TransformersBackbone } from './backbones/transformers.js';
import * as schemas from './options.js';
import { REINDEX_ORIGIN } from './origin.js';

const runSeed = (deps: PluginDeps) => (deps.has(DEPS.Seed) ? { seed: deps.get<number>(DEPS.Seed) } : {});

/** An aggregator plugin: input width from the pipeline (the backbone's), seed from the options or the run. */
function aggregator<S extends z.ZodType>(name: string, options: S, description: string) {
  return definePlugin<Aggregator, S>({
    name,
    description,
    options,
    requires: [DEPS.InputDim],
    optional: [DEPS.Seed],
    create: (o, deps) => createAggregator(name, { ...runSeed(deps), ...(o as object), dim: deps.get<number>(DEPS.InputDim) }),
  });
}

export const aggregatorPlugins = [
  aggregator('sum', schemas.sumOptions, 'masked sum of title token embeddings'),
  aggregator('weighted', schemas.weightedOptions, 'softmax position weights + Linear'),
  aggregator('rnn', schemas.rnnOptions, 'bidirectional GRU + Linear (RTA best)'),
  aggregator('trm', schemas.trmOptions, 'one Transformer encoder layer'),
];

export const backbonePlugins = [
  definePlugin<Backbone, typeof schemas.artifactsOptions>({ name: 'artifacts', description: 'precomputed safetensors artifacts', options: schemas.artifactsOptions, create: (o) => new ArtifactsBackbone(o) }),
  definePlugin<Backbone, typeof schemas.transformersOptions>({
    name: 'transformers',
    description: 'local causal LM via @huggingface/transformers',
    options: schemas.transformersOptions,
    create: (o) => new TransformersBackbone(o),
  }),
  definePlugin<Backbone, typeof schemas.openaiOptions>({ name: 'openai', description: 'OpenAI-compatible embeddings for q + artifacts for titles', options: schemas.openaiOptions, create: (o) => new OpenAiBackbone(o) }),
  definePlugin<Backbone, typeof schemas.lexicalOptions>({
    name: 'lexical',
    description: 'offline hashed-lexical stand-in (not an LLM)',
    options: schemas.lexicalOptions,
    optional: [DEPS.Seed],
    create: (o, deps) => new LexicalBackbone({ ...runSeed(deps), ...o }),
  }),
  definePlugin<Backbone, typeof schemas.gloveOptions>({
    name: 'glove',
    description: 'pretrained GloVe word vectors as token table and pooled q (not an LLM)',
    options: schemas.gloveOptions,
    create: (o) => new GloveBackbone(o),
  }),
];

/** Binds the reindex package's Aggregator and Backbone plugins. */
export const reindexModule = pluginsModule(REINDEX_ORIGIN, { Aggregator: aggregatorPlugins, Backbone: backbonePlugins });
