import { definePlugin, DEPS, pluginsModule, type GatingRecommender, type PluginDeps, type Recommender } from '@lmrec/core';
import { Fism, FismNet } from './models/fism.js';
import { LightGcn } from './models/lightgcn.js';
import { MfBpr } from './models/mf.js';
import { MultVae } from './models/multvae.js';
import { Popularity } from './models/popularity.js';
import { SasRec, SasRecNet } from './models/sasrec.js';
import { BcLoss } from './models/bc-loss.js';
import { Sgl } from './models/sgl.js';
import { XSimGcl } from './models/xsimgcl.js';
import * as schemas from './options.js';
import { RECSYS_ORIGIN } from './origin.js';

export const recommenderPlugins = [
  definePlugin<Recommender, typeof schemas.popularityOptions>({ name: 'popularity', description: 'items ranked by train interactions', options: schemas.popularityOptions, create: () => new Popularity() }),
  definePlugin<Recommender, typeof schemas.mfOptions>({ name: 'mf', description: 'matrix factorisation, BPR loss', options: schemas.mfOptions, create: (o) => new MfBpr(o) }),
  definePlugin<Recommender, typeof schemas.lightgcnOptions>({ name: 'lightgcn', description: 'LightGCN: layer-mean graph propagation, BPR', options: schemas.lightgcnOptions, create: (o) => new LightGcn(o) }),
  definePlugin<Recommender, typeof schemas.multvaeOptions>({ name: 'multvae', description: 'Mult-VAE with KL annealing', options: schemas.multvaeOptions, create: (o) => new MultVae(o) }),
  definePlugin<Recommender, typeof schemas.fismOptions>({ name: 'fism', description: 'FISM item-similarity model over the user history', options: schemas.fismOptions, create: (o) => new Fism(o) }),
  definePlugin<Recommender, typeof schemas.sasrecOptions>({ name: 'sasrec', description: 'SASRec causal self-attention over the history', options: schemas.sasrecOptions, create: (o) => new SasRec(o) }),
  definePlugin<Recommender, typeof schemas.sglOptions>({ name: 'sgl', description: 'SGL: LightGCN + InfoNCE between two augmented graph views', options: schemas.sglOptions, create: (o) => new Sgl(o) }),
  definePlugin<Recommender, typeof schemas.xsimgclOptions>({ name: 'xsimgcl', description: 'XSimGCL: noise-perturbed LightGCN layers, cross-layer contrastive loss', options: schemas.xsimgclOptions, create: (o) => new XSimGcl(o) }),
  definePlugin<Recommender, typeof schemas.bclossOptions>({ name: 'bcloss', description: 'BC Loss: popularity-margin contrastive loss on MF or LightGCN', options: schemas.bclossOptions, create: (o) => new BcLoss(o) }),
];

/** What every gating net is built with: the catalogue size, and the run's seed when the pipeline has one. */
function gatingShape(deps: PluginDeps): { nItems: number; seed?: number } {
  return { nItems: deps.get<number>(DEPS.NItems), ...(deps.has(DEPS.Seed) ? { seed: deps.get<number>(DEPS.Seed) } : {}) };
}

export const gatingPlugins = [
  definePlugin<GatingRecommender, typeof schemas.fismNetOptions>({
    name: 'fism',
    description: 'FISM logits from the conversation history (RTA gate)',
    options: schemas.fismNetOptions,
    requires: [DEPS.NItems],
    optional: [DEPS.Seed],
    create: (o, deps) => new FismNet({ ...o, ...gatingShape(deps) }),
  }),
  definePlugin<GatingRecommender, typeof schemas.sasrecNetOptions>({
    name: 'sasrec',
    description: 'SASRec logits from the conversation history (RTA gate)',
    options: schemas.sasrecNetOptions,
    requires: [DEPS.NItems],
    optional: [DEPS.Seed],
    create: (o, deps) => new SasRecNet({ ...o, ...gatingShape(deps) }),
  }),
];

/** Binds the recommenders under TYPES.Recommender and the gating nets under TYPES.GatingRecommender. */
export const recsysModule = pluginsModule(RECSYS_ORIGIN, { Recommender: recommenderPlugins, GatingRecommender: gatingPlugins });
