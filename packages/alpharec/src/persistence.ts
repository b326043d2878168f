import { Csr, Rng, tf, type SafeTensor } from '@lmrec/core';
import { readModelFiles, requireTensor, writeModelFiles } from '@lmrec/recsys';
import type { AlphaRecConfig } from './config.js';
import { Mapping } from './mapping.js';
import { AlphaRecNet, type AlphaRecNetConfig } from './model.js';
import type { ItemEmbeddings } from './user-vectors.js';

/** What `config.json` of a saved AlphaRec holds. */
export interface AlphaRecMeta {
  format: 'lmrec-alpharec';
  version: 1;
  model: string;
  nUsers: number;
  nItems: number;
  dim: number;
  /** The model's own config (fit options are not in it). */
  config: AlphaRecConfig;
  /** The network as trained (with any per-fit settings). */
  net: Omit<AlphaRecNetConfig, 'itemRange'>;
  encoder?: string;
  selectedOn?: 'valid' | 'test';
}

/** config.json + weights.safetensors (mapping, train CSR, item vectors): enough to score and to transfer. */
export async function saveAlphaRec(dir: string, model: { name: string; net: AlphaRecNet; train: Csr; items: ItemEmbeddings; config: AlphaRecConfig; encoder?: string; selectedOn?: 'valid' | 'test' }): Promise<void> {
  const { net, train, items } = model;
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(net.state())) tensors[`mapping.${name}`] = { dtype: 'F32', shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
  tensors['data.train.indptr'] = { dtype: 'I32', shape: [train.indptr.length], data: train.indptr };
  tensors['data.train.indices'] = { dtype: 'I32', shape: [train.indices.length], data: train.indices };
  tensors['data.items'] = { dtype: 'F32', shape: [items.data.length / items.dim, items.dim], data: items.data };
  const meta: AlphaRecMeta = {
    format: 'lmrec-alpharec',
    version: 1,
    model: model.name,
    nUsers: train.nRows,
    nItems: train.nCols,
    dim: items.dim,
    config: model.config,
    net: withoutItemRange(net.config),
    encoder: model.encoder,
    selectedOn: model.selectedOn,
  };
  await writeModelFiles(dir, meta, tensors);
}

/** A saved AlphaRec back: its meta, item vectors, train graph and a net holding the saved mapping. */
export async function loadAlphaRec(dir: string, name: string, itemRange?: AlphaRecNetConfig['itemRange']): Promise<{ meta: AlphaRecMeta; items: ItemEmbeddings; train: Csr; net: AlphaRecNet }> {
  const { meta, tensors, weightsFile } = await readModelFiles<AlphaRecMeta>(dir);
  const need = (tensor: string) => requireTensor(tensors, tensor, weightsFile);
  const items = { dim: meta.dim, data: need('data.items').data as Float32Array };
  const train = new Csr(meta.nUsers, meta.nItems, need('data.train.indptr').data as Int32Array, need('data.train.indices').data as Int32Array);
  const net = new AlphaRecNet(items, { ...meta.net, itemRange }, name);
  net.attach(train);
  net.mapping = new Mapping({ kind: meta.net.mapping, inDim: meta.dim, hidden: meta.net.hidden, outDim: meta.net.outDim, slope: meta.net.slope }, new Rng(0));
  const state: Record<string, tf.Tensor> = {};
  for (const key of net.mapping.names) {
    const t = need(`mapping.${key}`);
    state[key] = tf.tensor(t.data as Float32Array, t.shape);
  }
  try {
    net.loadState(state);
  } finally {
    for (const t of Object.values(state)) t.dispose();
  }
  return { meta, items, train, net };
}

/** The serialisable part of a net config (the item range is a function, given again at load). */
function withoutItemRange(config: AlphaRecNetConfig): Omit<AlphaRecNetConfig, 'itemRange'> {
  const out: Partial<AlphaRecNetConfig> = { ...config };
  delete out.itemRange;
  return out as Omit<AlphaRecNetConfig, 'itemRange'>;
}
