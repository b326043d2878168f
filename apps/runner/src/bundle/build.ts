import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { AlphaRec, normalizeRowsInPlace } from '@lmrec/alpharec';
import { LmrecError, serializeSafetensors, writeFileAtomic, writeJsonAtomic, type SafeTensor } from '@lmrec/core';
import { BUNDLE_FILE, BUNDLE_FORMAT, BUNDLE_MODEL, BUNDLE_VERSION, MANIFEST_FILE, MANIFEST_KEY, MAPPING_WEIGHTS, TENSORS, type BundleManifest, type BundleManifestFile } from '@lmrec/browser';
import type { SavedRun } from '../saved/open.js';
import { gloveOf, gloveVocabulary } from './vocabulary.js';

export interface BundleOptions {
  label?: string;
  float16?: boolean;
  /** Most frequent encoder words bundled besides the catalogue's own (Infinity: the whole vocabulary). */
  vocabulary: number;
}

export interface BundleResult {
  dir: string;
  manifest: BundleManifestFile;
  /** Why the bundle takes no intentions, when it does not. */
  noIntention?: string;
}

/**
 * A saved AlphaRec as a browser bundle: what `foldInUser` + `recommend`
 * read (language vectors, the mapping, item rows of layers 0..L-1, train
 * degrees, normalised final item vectors) and, for a glove-encoded run, the
 * vocabulary subset for intentions. The manifest rides in the safetensors
 * header (so the file alone is a bundle) and, with size and sha256, in
 * manifest.json. Both written atomically, bundle first.
 */
const BUNDLEABLE = new Set(['alpharec', 'linear-mapping']);

/** Without --model: the first row a bundle can hold, not merely the first row (often Popularity). */
export function defaultBundleLabel(labels: readonly string[], pluginOf: (label: string) => string): string | undefined {
  return labels.find((l) => BUNDLEABLE.has(pluginOf(l))) ?? labels[0];
}

export async function buildBundle(run: SavedRun, outDir: string, options: BundleOptions): Promise<BundleResult> {
  const label = options.label ?? defaultBundleLabel(run.labels, (l) => run.records.get(l)!.plugin.name);
  if (!label) throw new LmrecError('E_ARGUMENT', `${run.dir} saved no models`);
  if (!run.labels.includes(label)) throw new LmrecError('E_ARGUMENT', `no saved model "${label}" in ${run.dir}`, { field: 'model', hint: `saved: ${run.labels.join(', ')}` });
  const hasEncoder = Boolean(run.records.get(label)!.deps['lmrec.dep.TextEncoder']);
  const model = await run.model(label, { withEncoder: hasEncoder });
  if (!(model instanceof AlphaRec) || !model.net || !model.train || !model.items) {
    throw new LmrecError('E_ARGUMENT', `${label} is not an AlphaRec model (plugin "${run.records.get(label)!.plugin.name}"); bundles hold AlphaRec and linear-mapping models`, { field: 'model' });
  }
  const dtype = options.float16 ? 'F16' : 'F32';
  const net = model.net;
  const { mapping, hidden, outDim, slope, layers } = net.config;
  const nItems = model.train.nCols;
  const fin = net.finalEmbeddings(true);
  const tensors: Record<string, SafeTensor> = {};
  const state = net.state();
  for (const name of MAPPING_WEIGHTS[mapping]) tensors[TENSORS.mapping(name)] = { dtype, shape: [...state[name].shape], data: Float32Array.from(state[name].dataSync() as Float32Array) };
  tensors[TENSORS.language] = { dtype, shape: [nItems, model.items.dim], data: model.items.data };
  const itemOffset = model.train.nRows * outDim;
  for (let l = 0; l < layers; l++) tensors[TENSORS.layer(l)] = { dtype, shape: [nItems, outDim], data: fin.layers![l].slice(itemOffset, itemOffset + nItems * outDim) };
  tensors[TENSORS.final] = { dtype, shape: [nItems, outDim], data: normalizeRowsInPlace(Float32Array.from(fin.items), outDim) };
  const degree = new Int32Array(nItems);
  for (const j of model.train.indices) degree[j]++;
  tensors[TENSORS.degree] = { dtype: 'I32', shape: [nItems], data: degree };
  const titles = (await run.titles()) ?? [];
  let intention: BundleManifest['intention'] = null;
  let noIntention: string | undefined;
  const glove = gloveOf(model.encoder);
  if (glove) {
    const vocab = await gloveVocabulary(glove, titles, options.vocabulary, dtype);
    intention = vocab.spec;
    Object.assign(tensors, vocab.tensors);
  } else {
    noIntention = hasEncoder ? `its encoder "${run.records.get(label)!.deps['lmrec.dep.TextEncoder']!.name}" cannot run in a page (only glove's word table can be bundled)` : 'its item vectors came with the dataset, not from an encoder';
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    model: BUNDLE_MODEL,
    label,
    nItems,
    inDim: model.items.dim,
    outDim,
    hidden,
    mapping,
    slope,
    layers,
    dtype: options.float16 ? 'float16' : 'float32',
    ids: Array.from({ length: nItems }, (_, j) => String(j)),
    titles: Array.from({ length: nItems }, (_, j) => titles[j] ?? ''),
    intention,
  };
  model.dispose();
  const bytes = serializeSafetensors(tensors, { [MANIFEST_KEY]: JSON.stringify(manifest) });
  await fs.mkdir(outDir, { recursive: true });
  await writeFileAtomic(join(outDir, BUNDLE_FILE), bytes);
  const file: BundleManifestFile = {
    ...manifest,
    file: BUNDLE_FILE,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    tensors: Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, t.shape])),
  };
  await writeJsonAtomic(join(outDir, MANIFEST_FILE), file);
  return { dir: outDir, manifest: file, noIntention };
}
