import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, type CfSplit } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { AlphaRec, LinearMapping, type AlphaRecOptions } from './alpharec.js';
import { referenceMultiplierForFile } from './width.js';

/** A saved model back from disk (AlphaRec or LinearMapping, by its config). */
export async function loadAlphaRecModel(dir: string, options: Omit<AlphaRecOptions, 'itemEmbeddings'> = {}): Promise<AlphaRec> {
  let name = 'alpharec';
  try {
    name = JSON.parse(await fs.readFile(join(dir, 'config.json'), 'utf8')).model ?? name;
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read ${join(dir, 'config.json')}: ${(error as Error).message}`, { file: dir, cause: error });
  }
  const model = name === 'linear-mapping' ? new LinearMapping(options) : new AlphaRec(options, name);
  await model.load(dir);
  return model;
}

/**
 * A model and its split straight from AlphaRec's released layout
 * (`cf_data/{train,valid,test}.txt` + `item_info/*.npy`), so published
 * embedding files are used as they are. Without `hidden` / `multiplier`,
 * the MLP width is the one the reference code uses for that file name
 * (e.g. 1/2 x d for `item_cf_embeds_large3_array.npy`), so the same files
 * give the same model; unknown names fall back to the paper's rule.
 */
export async function fromAlphaRecDir(
  dir: string,
  options: AlphaRecOptions & { embeddings?: string; linear?: boolean } = {},
): Promise<{ model: AlphaRec; split: CfSplit }> {
  const { embeddings, linear, ...rest } = options;
  const data = await loadAlphaRecDir(dir, embeddings ? { embeddings } : {});
  const itemEmbeddings = rest.itemEmbeddings ?? data.itemEmbeddings;
  if (!itemEmbeddings) throw new LmrecError('E_DATA', `no item embeddings in ${dir}/item_info`, { file: dir, hint: 'add an .npy file [nItems, d] or pass itemEmbeddings' });
  const opts = { ...rest, itemEmbeddings };
  if (opts.hidden === undefined && opts.multiplier === undefined) {
    const file = embeddings ?? (await embeddingFileName(join(dir, 'item_info')));
    const m = file === undefined ? undefined : referenceMultiplierForFile(file);
    if (m !== undefined) opts.multiplier = m;
  }
  return { model: linear ? new LinearMapping(opts) : new AlphaRec(opts), split: data.split };
}

/** The file loadAlphaRecDir reads by default: the only .npy in item_info/, else the large3 file. */
async function embeddingFileName(infoDir: string): Promise<string | undefined> {
  try {
    const npy = (await fs.readdir(infoDir)).filter((f) => f.endsWith('.npy'));
    return npy.length === 1 ? npy[0] : 'item_cf_embeds_large3_array.npy';
  } catch {
    return undefined;
  }
}
