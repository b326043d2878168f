import { describe, expect, it } from 'vitest';
import { createContainer, PluginRegistry, TYPES, type GatingRecommender, type Recommender } from '@lmrec/core';
import { FismNet, recsysModule, SasRecNet } from '../src/index.js';

describe('recsysModule', () => {
  it('binds every recommender and both gating nets by name', async () => {
    const c = createContainer();
    await c.load(recsysModule);
    const reg = c.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(reg.names('Recommender')).toEqual(['fism', 'lightgcn', 'mf', 'multvae', 'popularity', 'sasrec']);
    expect(reg.names('GatingRecommender')).toEqual(['fism', 'sasrec']);
    for (const name of reg.names('Recommender')) expect(reg.create<Recommender>('Recommender', name, {}).name).toBe(name);
    const fism = reg.create<GatingRecommender>('GatingRecommender', 'fism', { nItems: 12 });
    const sas = reg.create<GatingRecommender>('GatingRecommender', 'sasrec', { nItems: 12, dim: 8 });
    expect(fism).toBeInstanceOf(FismNet);
    expect(sas).toBeInstanceOf(SasRecNet);
    expect(fism.logits([Int32Array.of(1, 2)], false).shape).toEqual([1, 12]);
    fism.dispose();
    sas.dispose();
  });
});
