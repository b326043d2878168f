import { definePlugin, pluginsModule, type GatingRecommender, type Recommender } from '@lmrec/core';
import { Popularity } from './models/popularity.js';
import { MfBpr, type MfBprConfig } from './models/mf.js';
import { LightGcn, type LightGcnConfig } from './models/lightgcn.js';
import { MultVae, type MultVaeConfig } from './models/multvae.js';
import { Fism, FismNet, type FismConfig, type FismNetOptions } from './models/fism.js';
import { SasRec, SasRecNet, type SasRecConfig, type SasRecNetOptions } from './models/sasrec.js';

export const recommenderPlugins = [
  definePlugin<Recommender, Record<string, never>>('popularity', () => new Popularity(), 'items ranked by train interactions'),
  definePlugin<Recommender, MfBprConfig>('mf', (o) => new MfBpr(o ?? {}), 'matrix factorisation, BPR loss'),
  definePlugin<Recommender, LightGcnConfig>('lightgcn', (o) => new LightGcn(o ?? {}), 'LightGCN: layer-mean graph propagation, BPR'),
  definePlugin<Recommender, MultVaeConfig>('multvae', (o) => new MultVae(o ?? {}), 'Mult-VAE with KL annealing'),
  definePlugin<Recommender, FismConfig>('fism', (o) => new Fism(o ?? {}), 'FISM item-similarity model over the user history'),
  definePlugin<Recommender, SasRecConfig>('sasrec', (o) => new SasRec(o ?? {}), 'SASRec causal self-attention over the history'),
];

export const gatingPlugins = [
  definePlugin<GatingRecommender, FismNetOptions>('fism', (o) => new FismNet(o), 'FISM logits from the conversation history (RTA gate)'),
  definePlugin<GatingRecommender, SasRecNetOptions>('sasrec', (o) => new SasRecNet(o), 'SASRec logits from the conversation history (RTA gate)'),
];

/** Binds the recommenders under TYPES.Recommender and the gating nets under TYPES.GatingRecommender. */
export const recsysModule = pluginsModule({ Recommender: recommenderPlugins, GatingRecommender: gatingPlugins });
