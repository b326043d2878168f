import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { LmrecError, readSafetensors, writeJsonAtomic, writeSafetensors, type SafeTensor } from '@lmrec/core';

export const MODEL_CONFIG_FILE = 'config.json';
export const MODEL_WEIGHTS_FILE = 'weights.safetensors';

/** What `config.json` of a saved model holds at least. */
export interface ModelMeta {
  model: string;
}

/**
 * The one on-disk layout of a saved lmrec model: `weights.safetensors`
 * (weights plus any data scoring needs, e.g. "data.train.*") and
 * `config.json` (`{ model, ...meta }`), both written atomically; the
 * weights first, so a folder with a config is complete.
 */
export async function writeModelFiles<M extends ModelMeta>(dir: string, meta: M, tensors: Record<string, SafeTensor>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await writeSafetensors(join(dir, MODEL_WEIGHTS_FILE), tensors, { model: meta.model });
  await writeJsonAtomic(join(dir, MODEL_CONFIG_FILE), meta);
}

/** Reads a folder written by `writeModelFiles`; `model` (when given) must match the saved model name. */
export async function readModelFiles<M extends ModelMeta = ModelMeta>(dir: string, model?: string): Promise<{ meta: M; tensors: Record<string, SafeTensor>; weightsFile: string; configFile: string }> {
  const configFile = join(dir, MODEL_CONFIG_FILE);
  const weightsFile = join(dir, MODEL_WEIGHTS_FILE);
  let meta: M;
  try {
    meta = JSON.parse(await fs.readFile(configFile, 'utf8'));
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read model config: ${(error as Error).message}`, { file: configFile, cause: error });
  }
  if (model !== undefined && meta.model !== model) {
    throw new LmrecError('E_STATE', `saved model is "${meta.model}", not "${model}"`, { file: configFile, field: 'model' });
  }
  let tensors: Record<string, SafeTensor>;
  try {
    tensors = (await readSafetensors(weightsFile)).tensors;
  } catch (error) {
    if (error instanceof LmrecError) throw error;
    throw new LmrecError('E_IO', `cannot read model weights: ${(error as Error).message}`, { file: weightsFile, cause: error });
  }
  return { meta, tensors, weightsFile, configFile };
}

/** A tensor a saved model must hold, or an error naming the file and the tensor. */
export function requireTensor(tensors: Record<string, SafeTensor>, name: string, file: string): SafeTensor {
  const t = tensors[name];
  if (!t) throw new LmrecError('E_STATE', `no tensor "${name}"`, { file, field: name });
  return t;
}
