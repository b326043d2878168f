import { DEPS, depsOf, LmrecError, type GatingRecommender, type PluginDeps } from '@lmrec/core';
import { FismNet, SasRecNet } from '@lmrec/recsys';
import type { GatingFactory } from './types.js';

/**
 * Gating models resolved by plugin name through the container's registry
 * (anything bound under TYPES.GatingRecommender, e.g. recsys' "fism" and
 * "sasrec" or a third-party package's). Keys are the row labels; each
 * factory is created with its options and the catalogue size and seed as
 * dependencies (DEPS.NItems, DEPS.Seed).
 */
export function gatingFactoriesFromRegistry(
  registry: { create(point: 'GatingRecommender', name: string, options: unknown, deps: PluginDeps): unknown },
  entries: Record<string, string | { plugin: string; options?: Record<string, unknown> }>,
): Record<string, GatingFactory> {
  return Object.fromEntries(
    Object.entries(entries).map(([label, entry]) => {
      const { plugin, options } = typeof entry === 'string' ? { plugin: entry, options: {} } : entry;
      const factory: GatingFactory = (nItems, seed) => {
        const model = registry.create('GatingRecommender', plugin, options ?? {}, depsOf([[DEPS.NItems, nItems], [DEPS.Seed, seed]])) as GatingRecommender;
        if (model.nItems !== nItems || typeof model.logits !== 'function') {
          throw new LmrecError('E_PLUGIN', `GatingRecommender "${plugin}" did not build a ${nItems}-item model`, { field: label });
        }
        return model;
      };
      return [label, factory];
    }),
  );
}

/** FISM and SASRec from @lmrec/recsys, the comparison's default collaborative models. */
export function defaultRecommenders(maxHistory: number): Record<string, GatingFactory> {
  return {
    FISM: (nItems, seed) => new FismNet({ nItems, seed, maxHistory }),
    // Conversation histories are short (ReDIAL: a few items); 32 positions keep attention cheap.
    SASRec: (nItems, seed) => new SasRecNet({ nItems, seed, maxLen: Math.min(32, maxHistory) }),
  };
}
