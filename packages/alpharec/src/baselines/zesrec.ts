import { Csr, LmrecError, type CfSplit } from '@lmrec/core';
import { factorScorer, transposeRows } from '@lmrec/recsys';
import { historyMean, type ItemEmbeddings } from '../user-vectors.js';
import type { Domain } from '../zero-shot.js';
import type { DomainTransfer } from './transfer.js';
import { readItemsDir, unitRows, writeItemsDir } from './item-files.js';

/**
 * ZESRec-style zero-shot baseline (after Ding et al. 2021, simplified): an
 * item is its text vector (any TextEncoder), a user the mean of their train
 * items' unit vectors, the score the cosine. Nothing is learned, so the
 * source domains play no part: it is what text alone gives on the target.
 * (ZESRec proper also trains item / user networks on the source domain.)
 */
export class ZesRec implements DomainTransfer {
  readonly name = 'zesrec';
  private items: ItemEmbeddings | undefined;
  private train: Csr | undefined;
  private scorer: ReturnType<typeof factorScorer> | undefined;

  constructor(options: { itemEmbeddings?: ItemEmbeddings } = {}) {
    this.items = options.itemEmbeddings;
  }

  async fit(data: CfSplit): Promise<undefined> {
    if (!this.items) throw new LmrecError('E_CONFIG', 'zesrec needs item vectors', { hint: 'set the run\'s "encoder" or give the dataset item embeddings' });
    this.use(data.train, this.items);
    return undefined;
  }

  async fitDomains(_domains: readonly Domain[]): Promise<undefined> {
    return undefined;
  }

  transferTo(target: CfSplit, itemEmbeddings: ItemEmbeddings): ZesRec {
    const other = new ZesRec({ itemEmbeddings });
    other.use(target.train, itemEmbeddings);
    return other;
  }

  private use(train: Csr, items: ItemEmbeddings): void {
    if (items.data.length !== train.nCols * items.dim) throw new LmrecError('E_SHAPE', `zesrec: ${train.nCols} items but ${items.data.length / items.dim} vectors`);
    this.dispose();
    this.items = items;
    this.train = train;
    const unit: ItemEmbeddings = { dim: items.dim, data: unitRows(items.data, items.dim) };
    const users = new Float32Array(train.nRows * items.dim);
    for (let u = 0; u < train.nRows; u++) historyMean(train.row(u), unit, users, u * items.dim);
    this.scorer = factorScorer(train.nCols, items.dim, unitRows(users, items.dim), transposeRows(unit.data, train.nCols, items.dim));
  }

  get nItems(): number {
    return this.train?.nCols ?? 0;
  }

  /** Scores for arbitrary histories (new users): the same mean of unit item vectors. */
  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    const { dim, itemsT } = this.ready().factors!()!;
    const n = this.nItems;
    const unit: ItemEmbeddings = { dim, data: transposeRows(itemsT, dim, n) };
    const out = new Float32Array(histories.length * n);
    histories.forEach((h, r) => {
      const u = unitRows(historyMean(h, unit), dim);
      for (let t = 0; t < dim; t++) for (let j = 0; j < n; j++) out[r * n + j] += u[t] * itemsT[t * n + j];
    });
    return out;
  }

  private ready() {
    if (!this.scorer) throw new LmrecError('E_STATE', 'zesrec is not fitted or loaded', { hint: 'call fit() or load() first' });
    return this.scorer;
  }

  scoreBlock(users: Int32Array): Float32Array {
    return this.ready().scoreBlock(users) as Float32Array;
  }

  factors() {
    return this.ready().factors?.();
  }

  async save(dir: string): Promise<void> {
    this.ready();
    await writeItemsDir(dir, this.name, {}, this.train!, this.items!);
  }

  async load(dir: string): Promise<void> {
    const { train, items } = await readItemsDir(dir, this.name);
    this.use(train, items);
  }

  dispose(): void {
    this.scorer?.dispose?.();
    this.scorer = undefined;
  }
}

