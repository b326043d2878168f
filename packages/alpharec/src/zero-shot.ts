import { Csr, LmrecError, type CfSplit, type TextEncoder } from '@lmrec/core';
import { AlphaRec, type AlphaRecFitOptions, type AlphaRecFitResult, type AlphaRecOptions } from './alpharec.js';
import type { ItemEmbeddings } from './user-vectors.js';

/** One dataset of a multi-domain run: its split and its items' language vectors (same encoder for all). */
export interface Domain {
  name?: string;
  split: CfSplit;
  itemEmbeddings: ItemEmbeddings;
}

export interface CombinedDomains {
  split: CfSplit;
  itemEmbeddings: ItemEmbeddings;
  /** First user / item id of each domain in the combined ids, plus the totals at the end. */
  userOffsets: number[];
  itemOffsets: number[];
  /** The item range [lo, hi) of a combined user id's domain. */
  itemRange: (user: number) => readonly [number, number];
}

/**
 * Users and items of several domains concatenated (domain 0 first); the
 * interaction matrices are block-diagonal, so the graph never links domains.
 */
export function combineDomains(domains: readonly Domain[]): CombinedDomains {
  if (domains.length === 0) throw new LmrecError('E_ARGUMENT', 'combineDomains needs at least one domain');
  const dim = domains[0].itemEmbeddings.dim;
  const userOffsets = [0];
  const itemOffsets = [0];
  for (const d of domains) {
    if (d.itemEmbeddings.dim !== dim) throw new LmrecError('E_SHAPE', `domain "${d.name ?? '?'}" has ${d.itemEmbeddings.dim}-d item vectors, the first has ${dim}-d`);
    if (d.itemEmbeddings.data.length !== d.split.nItems * dim) throw new LmrecError('E_SHAPE', `domain "${d.name ?? '?'}": ${d.split.nItems} items but ${d.itemEmbeddings.data.length / dim} vectors`);
    userOffsets.push(userOffsets[userOffsets.length - 1] + d.split.nUsers);
    itemOffsets.push(itemOffsets[itemOffsets.length - 1] + d.split.nItems);
  }
  const nUsers = userOffsets[domains.length];
  const nItems = itemOffsets[domains.length];
  const stack = (part: 'train' | 'valid' | 'test') => {
    const indptr = new Int32Array(nUsers + 1);
    const indices: number[] = [];
    domains.forEach((d, k) => {
      const m = d.split[part];
      for (let u = 0; u < m.nRows; u++) {
        for (const j of m.row(u)) indices.push(j + itemOffsets[k]);
        indptr[userOffsets[k] + u + 1] = indices.length;
      }
    });
    return new Csr(nUsers, nItems, indptr, Int32Array.from(indices));
  };
  const data = new Float32Array(nItems * dim);
  domains.forEach((d, k) => data.set(d.itemEmbeddings.data, itemOffsets[k] * dim));
  const domainOfUser = new Int32Array(nUsers);
  domains.forEach((_, k) => domainOfUser.fill(k, userOffsets[k], userOffsets[k + 1]));
  return {
    split: { nUsers, nItems, train: stack('train'), valid: stack('valid'), test: stack('test') },
    itemEmbeddings: { dim, data },
    userOffsets,
    itemOffsets,
    itemRange: (u) => [itemOffsets[domainOfUser[u]], itemOffsets[domainOfUser[u] + 1]],
  };
}

/**
 * Train one AlphaRec on several domains at once (items concatenated,
 * negatives drawn within each user's own domain). Valid selection ranks
 * over the combined catalogue.
 */
export async function trainMultiDomain(
  domains: readonly Domain[],
  options: Omit<AlphaRecOptions, 'itemEmbeddings' | 'itemRange'> = {},
  fitOptions: AlphaRecFitOptions = {},
): Promise<{ model: AlphaRec; combined: CombinedDomains; result: AlphaRecFitResult }> {
  const combined = combineDomains(domains);
  const model = new AlphaRec({ ...options, itemEmbeddings: combined.itemEmbeddings, itemRange: combined.itemRange });
  const result = await model.fit(combined.split, fitOptions);
  return { model, combined, result };
}

/**
 * Zero-shot recommendation on a new dataset: the trained, frozen mapping
 * applied to the new items' language vectors, users as the mean of their
 * train items, propagation over the new dataset's own train graph. No
 * training on the target. Returns a ready Recommender (scoreBlock, factors).
 */
export function zeroShot(trained: AlphaRec, target: Domain, options: { encoder?: TextEncoder } = {}): AlphaRec {
  return trained.transferTo(target.split, target.itemEmbeddings, { encoder: options.encoder, name: `${trained.name}-zero-shot` });
}
