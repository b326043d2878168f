import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { bf16ToFloat, halfToFloat, LmrecError } from '@lmrec/core';

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const FLOAT_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/**
 * Reads some rows of a 2-D float tensor from a safetensors checkpoint without
 * loading the file (an LLM's embedding table is GBs): the header, then one
 * positioned read per row. Follows `model.safetensors.index.json` for sharded
 * checkpoints. F32 / F16 / BF16 / F64 are decoded to Float32.
 */
export async function readTensorRows(path: string, tensorName: string, rows: readonly number[]): Promise<{ data: Float32Array; shape: number[] }> {
  const file = await resolveShard(path, tensorName);
  const handle = await fs.open(file, 'r');
  try {
    const lenBuf = Buffer.alloc(8);
    await handle.read(lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    if (headerLen > 100 * 1024 * 1024) throw new LmrecError('E_SAFETENSORS', `header length ${headerLen} is too large`, { file });
    const headerBuf = Buffer.alloc(headerLen);
    await handle.read(headerBuf, 0, headerLen, 8);
    const header = JSON.parse(headerBuf.toString('utf8')) as Record<string, HeaderEntry>;
    const entry = header[tensorName];
    if (!entry) {
      const names = Object.keys(header).filter((k) => k !== '__metadata__');
      throw new LmrecError('E_SAFETENSORS', `no tensor "${tensorName}"`, { file, field: tensorName, hint: `embedding-like tensors: ${names.filter((n) => /emb|wte|embed/.test(n)).join(', ') || names.slice(0, 5).join(', ')}` });
    }
    const bytes = FLOAT_BYTES[entry.dtype];
    if (!bytes || entry.shape.length !== 2) throw new LmrecError('E_SAFETENSORS', `expected a 2-D float tensor, got ${entry.dtype} [${entry.shape}]`, { file, field: tensorName });
    const [nRows, d] = entry.shape;
    const out = new Float32Array(rows.length * d);
    const rowBuf = Buffer.alloc(d * bytes);
    const base = 8 + headerLen + entry.data_offsets[0];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!(Number.isInteger(r) && r >= 0 && r < nRows)) throw new LmrecError('E_RANGE', `row ${r} is outside [0, ${nRows})`, { file, field: tensorName });
      await handle.read(rowBuf, 0, rowBuf.length, base + r * d * bytes);
      for (let j = 0; j < d; j++) {
        out[i * d + j] =
          entry.dtype === 'F32' ? rowBuf.readFloatLE(j * 4)
          : entry.dtype === 'F16' ? halfToFloat(rowBuf.readUInt16LE(j * 2))
          : entry.dtype === 'BF16' ? bf16ToFloat(rowBuf.readUInt16LE(j * 2))
          : rowBuf.readDoubleLE(j * 8);
      }
    }
    return { data: out, shape: entry.shape };
  } finally {
    await handle.close();
  }
}

/** The file holding a tensor: `path` itself, or the shard named by `<dir>/model.safetensors.index.json`. */
async function resolveShard(path: string, tensorName: string): Promise<string> {
  if (!path.endsWith('.index.json')) return path;
  const index = JSON.parse(await fs.readFile(path, 'utf8')) as { weight_map?: Record<string, string> };
  const shard = index.weight_map?.[tensorName];
  if (!shard) throw new LmrecError('E_SAFETENSORS', `"${tensorName}" is not in the weight_map`, { file: path, field: tensorName });
  return join(dirname(path), shard);
}

/** Header tensor names of a safetensors file (or of every shard of an index). */
export async function safetensorsNames(path: string): Promise<string[]> {
  if (path.endsWith('.index.json')) {
    const index = JSON.parse(await fs.readFile(path, 'utf8')) as { weight_map?: Record<string, string> };
    return Object.keys(index.weight_map ?? {});
  }
  const handle = await fs.open(path, 'r');
  try {
    const lenBuf = Buffer.alloc(8);
    await handle.read(lenBuf, 0, 8, 0);
    const headerLen = Number(lenBuf.readBigUInt64LE(0));
    const headerBuf = Buffer.alloc(headerLen);
    await handle.read(headerBuf, 0, headerLen, 8);
    return Object.keys(JSON.parse(headerBuf.toString('utf8'))).filter((k) => k !== '__metadata__');
  } finally {
    await handle.close();
  }
}
