import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, serializeSafetensors, type SafeTensor } from '@lmrec/core';
import { GLOVE_TOKENIZER } from '@lmrec/encoders';
import { BUNDLE_FILE, BUNDLE_FORMAT, BUNDLE_MODEL, BUNDLE_VERSION, MANIFEST_FILE, MANIFEST_KEY, TENSORS, type BundleManifest } from '@lmrec/browser';

/**
 * A bundle of the shapes a 50k-item catalogue gives (random weights and
 * vectors: what is timed is loading and scoring, which depend on shapes
 * only), with a glove-style vocabulary so intentions are timed too.
 */
export function writeSyntheticBundle(dir: string, o: { nItems: number; inDim: number; hidden: number; outDim: number; layers: number; words: number }): number {
  const rng = new Rng(11);
  const rand = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);
  const f32 = (shape: number[], data: Float32Array): SafeTensor => ({ dtype: 'F32', shape, data });
  const { nItems, inDim, hidden, outDim, layers, words } = o;
  const tensors: Record<string, SafeTensor> = {
    [TENSORS.mapping('w1')]: f32([inDim, hidden], rand(inDim * hidden, 1 / Math.sqrt(inDim))),
    [TENSORS.mapping('b1')]: f32([hidden], rand(hidden, 0.01)),
    [TENSORS.mapping('w2')]: f32([hidden, outDim], rand(hidden * outDim, 1 / Math.sqrt(hidden))),
    [TENSORS.mapping('b2')]: f32([outDim], rand(outDim, 0.01)),
    [TENSORS.language]: f32([nItems, inDim], rand(nItems * inDim)),
  };
  for (let l = 0; l < layers; l++) tensors[TENSORS.layer(l)] = f32([nItems, outDim], rand(nItems * outDim));
  tensors[TENSORS.final] = f32([nItems, outDim], rand(nItems * outDim, 1 / 8));
  tensors[TENSORS.degree] = { dtype: 'I32', shape: [nItems], data: Int32Array.from({ length: nItems }, () => rng.int(200)) };
  tensors[TENSORS.vocabVectors] = f32([words, inDim], rand(words * inDim));
  tensors[TENSORS.vocabWeights] = f32([words], Float32Array.from({ length: words }, (_, i) => 1e-3 / (1e-3 + 1 / ((i + 1) * 10))));
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    model: BUNDLE_MODEL,
    label: 'synthetic',
    nItems,
    inDim,
    outDim,
    hidden,
    mapping: 'mlp',
    slope: 0.01,
    layers,
    dtype: 'float32',
    ids: Array.from({ length: nItems }, (_, j) => String(j)),
    titles: Array.from({ length: nItems }, (_, j) => `Synthetic item ${j}`),
    intention: { encoder: 'glove', id: 'synthetic', tokenizer: GLOVE_TOKENIZER, pooling: 'sif', removePc: false, words: Array.from({ length: words }, (_, i) => `w${i}`), fullVocabulary: words },
  };
  const bytes = serializeSafetensors(tensors, { [MANIFEST_KEY]: JSON.stringify(manifest) });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, BUNDLE_FILE), bytes);
  const shapes = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]));
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, file: BUNDLE_FILE, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), tensors: shapes }));
  return bytes.length;
}
