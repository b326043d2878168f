import { LmrecError, readNpy, readSafetensors } from '@lmrec/core';
import { assertFiniteRows } from '../util/finite.js';

export interface EmbeddingTable {
  rows: number;
  dim: number;
  data: Float32Array;
}

/**
 * An item-embedding table from a `.npy` (2-D) or a `.safetensors` file (its
 * only tensor, or the one named by `tensor`), as float32, row i = item i.
 * Shape and dtype problems are E_SHAPE / E_DTYPE; a NaN or Inf value is
 * E_NONFINITE with its row and column.
 */
export async function readEmbeddingTable(file: string, tensor?: string): Promise<EmbeddingTable> {
  let shape: number[];
  let values: ArrayLike<number | bigint>;
  if (file.endsWith('.safetensors')) {
    const { tensors } = await readSafetensors(file);
    const names = Object.keys(tensors);
    const name = tensor ?? (names.length === 1 ? names[0] : undefined);
    if (name === undefined || !tensors[name]) {
      throw new LmrecError('E_ARGUMENT', tensor ? `no tensor "${tensor}" (has: ${names.join(', ')})` : `${names.length} tensors (${names.join(', ')}); name the one to use`, {
        file,
        field: 'tensor',
        hint: 'pass { tensor: "<name>" }',
      });
    }
    const t = tensors[name];
    if (!t.dtype.startsWith('F') && t.dtype !== 'BF16') throw new LmrecError('E_DTYPE', `tensor "${name}" is ${t.dtype}, embeddings must be floating point`, { file, field: name });
    shape = t.shape;
    values = t.data as ArrayLike<number>;
  } else {
    const arr = await readNpy(file);
    if (arr.dtype === '<i4' || arr.dtype === '<i8') throw new LmrecError('E_DTYPE', `dtype ${arr.dtype}: embeddings must be float32 or float64`, { file, field: 'descr' });
    shape = arr.shape;
    values = arr.data as ArrayLike<number>;
  }
  if (shape.length !== 2) throw new LmrecError('E_SHAPE', `item embeddings must be 2-D, got shape (${shape.join(', ')})`, { file, field: 'shape' });
  const [rows, dim] = shape;
  const data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>, Number);
  // Checked after the float32 conversion: a float64 beyond float32's range is caught as the Infinity it becomes.
  assertFiniteRows(data, dim, file);
  return { rows, dim, data };
}
