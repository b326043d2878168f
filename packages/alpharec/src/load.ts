import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, type CfSplit } from '@lmrec/core';
import { loadAlphaRecDir } from '@lmrec/datasets';
import { AlphaRec, LinearMapping, type AlphaRecOptions } from './alpharec.js';

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
 * embedding files are used as they are.
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
  return { model: linear ? new LinearMapping(opts) : new AlphaRec(opts), split: data.split };
}
