import { definePlugin, pluginsModule, type Aggregator, type Backbone } from '@lmrec/core';
import { createAggregator, type AnyAggregatorOptions } from './aggregators/index.js';
import { ArtifactsBackbone, type ArtifactsBackboneOptions } from './backbones/artifacts.js';
import { GloveBackbone, type GloveBackboneOptions } from './backbones/glove.js';
import { LexicalBackbone, type LexicalBackboneOptions } from './backbones/lexical.js';
import { OpenAiBackbone, type OpenAiBackboneOptions } from './backbones/openai.js';
import { TransformersBackbone, type TransformersBackboneOptions } from './backbones/transformers.js';

export const aggregatorPlugins = [
  definePlugin<Aggregator, AnyAggregatorOptions>('sum', (o) => createAggregator('sum', o), 'masked sum of title token embeddings'),
  definePlugin<Aggregator, AnyAggregatorOptions>('weighted', (o) => createAggregator('weighted', o), 'softmax position weights + Linear'),
  definePlugin<Aggregator, AnyAggregatorOptions>('rnn', (o) => createAggregator('rnn', o), 'bidirectional GRU + Linear (RTA best)'),
  definePlugin<Aggregator, AnyAggregatorOptions>('trm', (o) => createAggregator('trm', o), 'one Transformer encoder layer'),
];

export const backbonePlugins = [
  definePlugin<Backbone, ArtifactsBackboneOptions>('artifacts', (o) => new ArtifactsBackbone(o), 'precomputed safetensors artifacts'),
  definePlugin<Backbone, TransformersBackboneOptions>('transformers', (o) => new TransformersBackbone(o), 'local causal LM via @huggingface/transformers'),
  definePlugin<Backbone, OpenAiBackboneOptions>('openai', (o) => new OpenAiBackbone(o), 'OpenAI-compatible embeddings for q + artifacts for titles'),
  definePlugin<Backbone, LexicalBackboneOptions>('lexical', (o) => new LexicalBackbone(o), 'offline hashed-lexical stand-in (not an LLM)'),
  definePlugin<Backbone, GloveBackboneOptions>('glove', (o) => new GloveBackbone(o), 'pretrained GloVe word vectors as token table and pooled q (not an LLM)'),
];

/** Binds the reindex package's Aggregator and Backbone plugins. */
export const reindexModule = pluginsModule({ Aggregator: aggregatorPlugins, Backbone: backbonePlugins });
