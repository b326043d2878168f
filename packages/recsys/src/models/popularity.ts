import { LmrecError, type CfSplit, type Recommender } from '@lmrec/core';
import { readModelFiles, requireTensor, writeModelFiles } from '../trainer/model-files.js';

/**
 * Most-popular baseline: every user gets the items ranked by their number of
 * train interactions (ties to the lower id in evaluation). Not trained.
 */
export class Popularity implements Recommender {
  readonly name = 'popularity';
  nItems = 0;
  nUsers = 0;
  private counts = new Float32Array(0);
  private fitted = false;

  async fit(data: CfSplit): Promise<{ epochs: number }> {
    this.nUsers = data.nUsers;
    this.nItems = data.nItems;
    this.counts = new Float32Array(data.nItems);
    const idx = data.train.indices;
    for (let k = 0; k < idx.length; k++) this.counts[idx[k]]++;
    this.fitted = true;
    return { epochs: 0 };
  }

  /** Train interaction count per item. */
  itemCounts(): Float32Array {
    return this.counts;
  }

  scoreBlock(users: Int32Array): Float32Array {
    if (!this.fitted) throw new LmrecError('E_STATE', 'popularity is not fitted or loaded', { hint: 'call fit() or load() first' });
    const out = new Float32Array(users.length * this.nItems);
    for (let r = 0; r < users.length; r++) out.set(this.counts, r * this.nItems);
    return out;
  }

  /** Histories do not change the ranking. */
  scoreHistories(histories: readonly Int32Array[]): Float32Array {
    return this.scoreBlock(new Int32Array(histories.length));
  }

  factors(): { dim: number; users: Float32Array; itemsT: Float32Array } {
    return { dim: 1, users: new Float32Array(this.nUsers).fill(1), itemsT: this.counts };
  }

  async save(dir: string): Promise<void> {
    await writeModelFiles(dir, { model: this.name, nUsers: this.nUsers, nItems: this.nItems, config: {} }, { 'item.count': { dtype: 'F32', shape: [this.nItems], data: this.counts } });
  }

  async load(dir: string): Promise<void> {
    const { meta, tensors, weightsFile } = await readModelFiles<{ model: string; nUsers: number; nItems: number }>(dir, this.name);
    this.nUsers = meta.nUsers;
    this.nItems = meta.nItems;
    this.counts = Float32Array.from(requireTensor(tensors, 'item.count', weightsFile).data as Float32Array);
    this.fitted = true;
  }
}
