import { Csr, type SafeTensor } from '@lmrec/core';
import { readModelFiles, requireTensor, writeModelFiles } from '@lmrec/recsys';
import type { ItemEmbeddings } from '../user-vectors.js';

/** Rows of a row-major [n, dim] array scaled to unit length (zero rows stay zero). */
export function unitRows(x: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += dim) {
    let s = 0;
    for (let t = 0; t < dim; t++) s += x[o + t] * x[o + t];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < dim; t++) out[o + t] = x[o + t] * inv;
  }
  return out;
}

/** The tensors a text-vector model needs to score after load: the train CSR and the item vectors. */
export function itemTensors(train: Csr, items: ItemEmbeddings): Record<string, SafeTensor> {
  return {
    'data.train.indptr': { dtype: 'I32', shape: [train.indptr.length], data: train.indptr },
    'data.train.indices': { dtype: 'I32', shape: [train.indices.length], data: train.indices },
    'data.items': { dtype: 'F32', shape: [train.nCols, items.dim], data: items.data },
  };
}

export async function writeItemsDir(dir: string, model: string, config: object, train: Csr, items: ItemEmbeddings): Promise<void> {
  await writeModelFiles(dir, { model, nUsers: train.nRows, nItems: train.nCols, config }, itemTensors(train, items));
}

export async function readItemsDir(dir: string, model: string): Promise<{ train: Csr; items: ItemEmbeddings; config: object }> {
  const { meta, tensors, weightsFile } = await readModelFiles<{ model: string; nUsers: number; nItems: number; config: object }>(dir, model);
  const items = requireTensor(tensors, 'data.items', weightsFile);
  const indptr = requireTensor(tensors, 'data.train.indptr', weightsFile).data as Int32Array;
  const indices = requireTensor(tensors, 'data.train.indices', weightsFile).data as Int32Array;
  return { train: new Csr(meta.nUsers, meta.nItems, indptr, indices), items: { dim: items.shape[1], data: items.data as Float32Array }, config: meta.config };
}
