import { BundleError } from './errors.js';

/** What `lmrec bundle` writes and `loadBundle` reads; bump the version on any change of layout. */
export const BUNDLE_FORMAT = 'lmrec-bundle';
export const BUNDLE_VERSION = 1;
/** The one model type a version-1 bundle can hold. */
export const BUNDLE_MODEL = 'alpharec';
/** Key of the manifest inside the safetensors `__metadata__`, so the .safetensors file alone is a bundle. */
export const MANIFEST_KEY = 'lmrec.manifest';
export const BUNDLE_FILE = 'bundle.safetensors';
export const MANIFEST_FILE = 'manifest.json';

export type BundleDtype = 'float32' | 'float16';

/** What intention steering needs: the glove encoder's vocabulary subset, its SIF weights and fitted component. */
export interface IntentionSpec {
  encoder: 'glove';
  /** The encoder's id in the run (names its source, tokenizer, pooling and fitted component). */
  id: string;
  tokenizer: string;
  pooling: 'mean' | 'sif';
  removePc: boolean;
  /** Words of the bundled vocabulary, row i of `intention.vectors`. */
  words: string[];
  /** Size of the encoder's full vocabulary (the bundle holds `words.length` of it). */
  fullVocabulary: number;
}

/** The manifest inside the bundle file (and, with size and checksum, in manifest.json). */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  model: string;
  /** The run's row label of the model, e.g. "AlphaRec". */
  label: string;
  nItems: number;
  /** Language vector size (the MLP's input). */
  inDim: number;
  outDim: number;
  hidden: number;
  mapping: 'mlp' | 'linear';
  slope: number;
  /** Graph layers L of the trained model. */
  layers: number;
  dtype: BundleDtype;
  /** The dataset's item ids (dense item j = ids[j]); titles likewise. */
  ids: string[];
  titles: string[];
  intention: IntentionSpec | null;
}

/** manifest.json: the manifest plus what the file it describes must be. */
export interface BundleManifestFile extends BundleManifest {
  file: string;
  bytes: number;
  sha256: string;
  /** Tensor name -> shape, for readers that do not parse the file. */
  tensors: Record<string, number[]>;
}

/** Tensor names of a version-1 bundle. */
export const TENSORS = {
  mapping: (name: string) => `mapping.${name}`,
  language: 'items.language',
  layer: (l: number) => `items.layer.${l}`,
  final: 'items.final',
  degree: 'items.degree',
  vocabVectors: 'intention.vectors',
  vocabWeights: 'intention.weights',
  vocabPc: 'intention.pc',
} as const;

/** Weight names of each mapping kind (the order of AlphaRec's Mapping.state()). */
export const MAPPING_WEIGHTS = { mlp: ['w1', 'b1', 'w2', 'b2'], linear: ['w'] } as const;

/** Format, version and model type checked first, so a wrong bundle says what it is before anything else. */
export function checkManifest(value: unknown): BundleManifest {
  const m = value as Partial<BundleManifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== BUNDLE_FORMAT) {
    throw new BundleError('E_BUNDLE_FORMAT', 'this is not an lmrec bundle (its manifest has no "format": "lmrec-bundle")', { field: 'format', hint: 'make one with `lmrec bundle <run-dir> --out <dir>`' });
  }
  if (m.version !== BUNDLE_VERSION) {
    throw new BundleError('E_BUNDLE_VERSION', `bundle format version ${String(m.version)} is not supported (this reader reads version ${BUNDLE_VERSION})`, { field: 'version', hint: 'bundle the run again with the lmrec that matches this page' });
  }
  if (m.model !== BUNDLE_MODEL) {
    throw new BundleError('E_BUNDLE_MODEL', `the bundle holds a "${String(m.model)}" model; this reader runs "${BUNDLE_MODEL}" only`, { field: 'model' });
  }
  const ints = ['nItems', 'inDim', 'outDim', 'hidden', 'layers'] as const;
  for (const key of ints) {
    if (!(Number.isInteger(m[key]) && (m[key] as number) >= 0)) throw new BundleError('E_BUNDLE_FORMAT', `manifest field "${key}" must be a non-negative integer`, { field: key });
  }
  if (!Array.isArray(m.titles) || m.titles.length !== m.nItems || !Array.isArray(m.ids) || m.ids.length !== m.nItems) {
    throw new BundleError('E_BUNDLE_FORMAT', `manifest must list ${m.nItems} ids and titles`, { field: 'titles' });
  }
  if (m.mapping !== 'mlp' && m.mapping !== 'linear') throw new BundleError('E_BUNDLE_FORMAT', `unknown mapping "${String(m.mapping)}"`, { field: 'mapping' });
  return m as BundleManifest;
}
