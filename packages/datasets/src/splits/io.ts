import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { readJsonStrict } from '../util/text.js';
import { Csr, LmrecError, parseNpy, serializeNpy, writeFileAtomic, writeJsonAtomic, type CfSplit } from '@lmrec/core';

const FORMAT = 'lmrec-split/1';
const PARTS = ['train', 'valid', 'test'] as const;

interface SplitManifest {
  format: string;
  nUsers: number;
  nItems: number;
  parts: Record<string, { nnz: number; files: Record<string, string> }>;
  meta?: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Saves a split so every model of an experiment sees the same one:
 * `<part>.indptr.npy` / `<part>.indices.npy` (int32, numpy-readable) and
 * `split.json` with the shape, counts and sha256 of each file, written last
 * so a half-written split is never mistaken for a whole one.
 */
export async function saveSplit(dir: string, split: CfSplit, meta?: Record<string, unknown>): Promise<void> {
  const manifest: SplitManifest = { format: FORMAT, nUsers: split.nUsers, nItems: split.nItems, parts: {}, meta };
  for (const part of PARTS) {
    const csr = split[part];
    if (csr.nRows !== split.nUsers || csr.nCols !== split.nItems) {
      throw new LmrecError('E_SHAPE', `${part} is ${csr.nRows} x ${csr.nCols}, split is ${split.nUsers} x ${split.nItems}`);
    }
    const files: Record<string, string> = {};
    for (const [key, data] of [['indptr', csr.indptr], ['indices', csr.indices]] as const) {
      const bytes = serializeNpy(data, [data.length]);
      await writeFileAtomic(join(dir, `${part}.${key}.npy`), bytes);
      files[key] = sha256(bytes);
    }
    manifest.parts[part] = { nnz: csr.nnz, files };
  }
  await writeJsonAtomic(join(dir, 'split.json'), manifest);
}

/** Loads a split written by saveSplit, verifying checksums and CSR structure. */
export async function loadSplit(dir: string): Promise<CfSplit & { meta?: Record<string, unknown> }> {
  const manifestFile = join(dir, 'split.json');
  const manifest = (await readJsonStrict(manifestFile)) as SplitManifest;
  if (typeof manifest !== 'object' || manifest === null) throw new LmrecError('E_FORMAT', 'split.json must be a JSON object', { file: manifestFile });
  if (manifest.format !== FORMAT) throw new LmrecError('E_FORMAT', `unknown split format "${manifest.format}"`, { file: manifestFile, field: 'format' });
  const { nUsers, nItems } = manifest;
  const out: Partial<Record<(typeof PARTS)[number], Csr>> = {};
  for (const part of PARTS) {
    const entry = manifest.parts?.[part];
    if (!entry) throw new LmrecError('E_FORMAT', `no "${part}" part`, { file: manifestFile, field: `parts.${part}` });
    const arrays: Record<string, Int32Array> = {};
    for (const key of ['indptr', 'indices']) {
      const file = join(dir, `${part}.${key}.npy`);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await fs.readFile(file));
      } catch (error) {
        throw new LmrecError('E_IO', `cannot read: ${(error as Error).message}`, { file, cause: error });
      }
      if (sha256(bytes) !== entry.files[key]) throw new LmrecError('E_CHECKSUM', 'sha256 differs from split.json', { file, hint: 'the split was modified or is incomplete' });
      const arr = parseNpy(bytes, file);
      if (!(arr.data instanceof Int32Array)) throw new LmrecError('E_FORMAT', 'expected int32', { file, field: 'descr' });
      arrays[key] = arr.data;
    }
    const { indptr, indices } = arrays;
    const file = join(dir, `${part}.indices.npy`);
    if (indptr.length !== nUsers + 1 || indptr[0] !== 0 || indptr[nUsers] !== indices.length || indices.length !== entry.nnz) {
      throw new LmrecError('E_FORMAT', `${part}: indptr/indices do not describe ${nUsers} rows with ${entry.nnz} entries`, { file });
    }
    for (let u = 0; u < nUsers; u++) {
      if (indptr[u + 1] < indptr[u]) throw new LmrecError('E_FORMAT', `${part}: indptr decreases at row ${u}`, { file });
      for (let k = indptr[u]; k < indptr[u + 1]; k++) {
        const j = indices[k];
        if (!(j >= 0 && j < nItems) || (k > indptr[u] && indices[k - 1] >= j)) {
          throw new LmrecError('E_FORMAT', `${part}: row ${u} is not a sorted list of item ids < ${nItems}`, { file });
        }
      }
    }
    out[part] = new Csr(nUsers, nItems, indptr, indices);
  }
  return { nUsers, nItems, train: out.train!, valid: out.valid!, test: out.test!, meta: manifest.meta };
}
