import type { CfSplit, Recommender } from '@lmrec/core';
import type { TrainResult } from '@lmrec/recsys';
import type { ItemEmbeddings } from '../user-vectors.js';
import type { Domain } from '../zero-shot.js';

/**
 * A recommender the zero-shot study can train on source domains and apply,
 * untrained, to a target whose items it only knows by their text vectors
 * (AlphaRec's Table 4 protocol for ZESRec / UniSRec style baselines).
 */
export interface DomainTransfer extends Recommender {
  /** Train on the source domains at once (a no-op for a training-free model). */
  fitDomains(domains: readonly Domain[], fitOptions?: Record<string, unknown>): Promise<TrainResult | undefined>;
  /** A ready Recommender for the target: its items' vectors, its train interactions as histories, no training on it. */
  transferTo(target: CfSplit, itemEmbeddings: ItemEmbeddings): Recommender & { dispose?(): void };
}

export const isDomainTransfer = (m: Recommender): m is DomainTransfer =>
  typeof (m as Partial<DomainTransfer>).fitDomains === 'function' && typeof (m as Partial<DomainTransfer>).transferTo === 'function';
