import type { Csr } from '@lmrec/core';
import { InteractionSampler } from '@lmrec/recsys';

export interface AlphaRecSamplerOptions {
  /** Negatives per (user, positive), 256 in the paper. */
  negatives?: number;
  /** Drop the last incomplete batch (the reference does). Default true. */
  dropLast?: boolean;
  /**
   * Item range [lo, hi) each user's negatives come from (multi-domain
   * training: negatives stay within the user's own domain). Default: all items.
   */
  itemRange?: (user: number) => readonly [number, number];
}

/**
 * AlphaRec's sampling, recsys' InteractionSampler with the paper's settings:
 * one sample per train interaction per epoch, in a shuffled order; sample
 * index k -> user k mod n (over users with train items, in id order),
 * positive uniform from that user's train items, `negatives` items uniform
 * WITH replacement over the user's item range excluding the user's train
 * items, the last incomplete batch dropped.
 */
export class AlphaRecSampler extends InteractionSampler {
  constructor(train: Csr, options: AlphaRecSamplerOptions = {}) {
    super(train, { negatives: options.negatives ?? 256, replacement: true, mode: 'user-mod', shuffle: true, dropLast: options.dropLast ?? true, itemRange: options.itemRange });
  }
}
