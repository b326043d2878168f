import { LmrecError } from '@lmrec/core';
import { BaseAggregator } from './base.js';
import { RnnAggregator, type RnnAggregatorOptions } from './rnn.js';
import { SumAggregator } from './sum.js';
import { TrmAggregator, type TrmAggregatorOptions } from './trm.js';
import { WeightedAggregator, type WeightedAggregatorOptions } from './weighted.js';

export { BaseAggregator, SumAggregator, WeightedAggregator, RnnAggregator, TrmAggregator };
export type { SumAggregatorOptions } from './sum.js';
export type { WeightedAggregatorOptions, RnnAggregatorOptions, TrmAggregatorOptions };

export type AggregatorName = 'sum' | 'weighted' | 'rnn' | 'trm';
export const AGGREGATOR_NAMES: readonly AggregatorName[] = ['sum', 'weighted', 'rnn', 'trm'];

export type AnyAggregatorOptions = { dim: number; seed?: number } & Partial<WeightedAggregatorOptions & RnnAggregatorOptions & TrmAggregatorOptions>;

/** Builds an aggregator by name with plain options (what the plugin factories call). */
export function createAggregator(name: string, options: AnyAggregatorOptions): BaseAggregator {
  switch (name) {
    case 'sum':
      return new SumAggregator(options);
    case 'weighted':
      return new WeightedAggregator(options);
    case 'rnn':
      return new RnnAggregator(options);
    case 'trm':
      return new TrmAggregator(options);
    default:
      throw new LmrecError('E_PLUGIN_UNKNOWN', `no aggregator named "${name}"`, { hint: `known: ${AGGREGATOR_NAMES.join(', ')}` });
  }
}
