import { describe, expect, it } from 'vitest';
import { createContainer, DEPS, depsOf, PluginRegistry, TYPES, type GatingRecommender, type Recommender } from '@lmrec/core';
import { pluginFactoryContract } from '@lmrec/testing';
import { FismNet, gatingPlugins, recommenderPlugins, RECSYS_ORIGIN, recsysModule, SasRecNet } from '../src/index.js';

for (const factory of recommenderPlugins) pluginFactoryContract({ point: 'Recommender', factory, module: recsysModule, origin: RECSYS_ORIGIN });
for (const factory of gatingPlugins) {
  pluginFactoryContract({
    point: 'GatingRecommender',
    factory,
    deps: [[DEPS.NItems, 12], [DEPS.Seed, 3]],
    check: (net) => expect(net.nItems).toBe(12),
    dispose: (net) => net.dispose(),
    module: recsysModule,
    origin: RECSYS_ORIGIN,
  });
}

describe('recsysModule', () => {
  it('binds every recommender and both gating nets by name', async () => {
    const c = createContainer();
    await c.load(recsysModule);
    const reg = c.get<PluginRegistry>(TYPES.PluginRegistry);
    expect(reg.names('Recommender')).toEqual(['bcloss', 'fism', 'lightgcn', 'mf', 'multvae', 'popularity', 'sasrec', 'sgl', 'xsimgcl']);
    expect(reg.names('GatingRecommender')).toEqual(['fism', 'sasrec']);
    for (const name of reg.names('Recommender')) expect(reg.create<Recommender>('Recommender', name, {}).name).toBe(name);
    const shape = depsOf([[DEPS.NItems, 12], [DEPS.Seed, 3]]);
    const fism = reg.create<GatingRecommender>('GatingRecommender', 'fism', {}, shape);
    const sas = reg.create<GatingRecommender>('GatingRecommender', 'sasrec', { dim: 8 }, shape);
    expect(fism).toBeInstanceOf(FismNet);
    expect(sas).toBeInstanceOf(SasRecNet);
    expect(fism.logits([Int32Array.of(1, 2)], false).shape).toEqual([1, 12]);
    // the seed comes from the pipeline: same seed, same initial weights as a FismNet built by hand
    const byHand = new FismNet({ nItems: 12, seed: 3 });
    expect(Array.from(fism.logits([Int32Array.of(4)], false).dataSync())).toEqual(Array.from(byHand.logits([Int32Array.of(4)], false).dataSync()));
    byHand.dispose();
    fism.dispose();
    sas.dispose();
  });

  it('rejects unknown or mistyped options and a gating net without a catalogue size', () => {
    const reg = new PluginRegistry({ Recommender: [...recommenderPlugins], GatingRecommender: [...gatingPlugins] });
    expect(() => reg.create('Recommender', 'mf', { dimm: 8 })).toThrow(/field "dimm": unknown option of Recommender "mf" \(did you mean "dim"\?\)/);
    expect(() => reg.create('Recommender', 'mf', { lr: 'fast' })).toThrow(/field "lr": Invalid input: expected number, received string/);
    expect(() => reg.create('Recommender', 'popularity', { dim: 8 })).toThrow(/this plugin takes no options/);
    expect(() => reg.create('GatingRecommender', 'fism', {})).toThrow(/GatingRecommender "fism" needs lmrec\.dep\.NItems/);
    expect(() => reg.create('GatingRecommender', 'fism', { nItems: 12 }, depsOf([[DEPS.NItems, 12]]))).toThrow(/unknown option/);
  });
});
