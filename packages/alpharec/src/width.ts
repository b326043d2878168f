import { LmrecError, tf } from '@lmrec/core';

/**
 * First-layer weight budget of the reference MLP: d x (m d) = 4,718,592 for
 * every encoder the paper uses (768 x 6144, 1536 x 3072, 3072 x 1536,
 * 4096 x 1152), i.e. m = 8, 2, 1/2 and 9/32.
 */
export const PAPER_FIRST_LAYER_WEIGHTS = 4_718_592;

/** The multipliers the reference code keys by language model name. */
export const REFERENCE_MULTIPLIERS: Readonly<Record<string, number>> = {
  bert: 8,
  roberta: 8,
  v2: 2,
  v3: 1 / 2,
  v3_shuffle: 1 / 2,
  llama2_7b: 9 / 32,
  mistral_7b: 9 / 32,
  SFR: 9 / 32,
};

export interface WidthOptions {
  /** Hidden width of the first layer; wins over everything else. */
  hidden?: number;
  /** Hidden width = floor(multiplier * d), as the reference writes it. */
  multiplier?: number;
}

/**
 * Hidden width of `Linear(d, m*d)`. Default: the paper's rule, a first layer
 * of ~4.7M weights, floor(4,718,592 / d), which gives exactly the paper's
 * multipliers for 768, 1536, 3072 and 4096-d encoders.
 */
export function mlpWidth(dim: number, options: WidthOptions = {}): number {
  if (options.hidden !== undefined) {
    if (!(Number.isInteger(options.hidden) && options.hidden > 0)) {
      throw new LmrecError('E_ARGUMENT', `hidden must be a positive integer, got ${options.hidden}`, { field: 'hidden' });
    }
    return options.hidden;
  }
  if (options.multiplier !== undefined) {
    const h = Math.floor(options.multiplier * dim);
    if (!(h > 0)) throw new LmrecError('E_ARGUMENT', `multiplier ${options.multiplier} gives no hidden units for d = ${dim}`, { field: 'multiplier' });
    return h;
  }
  return Math.max(1, Math.floor(PAPER_FIRST_LAYER_WEIGHTS / dim));
}

/** The reference code's embedding file name for each language model key. */
export const REFERENCE_EMBEDDING_FILES: Readonly<Record<string, string>> = {
  'item_cf_embeds_bert_array.npy': 'bert',
  'item_cf_embeds_roberta_array.npy': 'roberta',
  'item_cf_embeds_array.npy': 'v2',
  'item_cf_embeds_large3_array.npy': 'v3',
  'item_cf_embeds_large3_array_shuffle.npy': 'v3_shuffle',
};

/**
 * The multiplier the reference code would use for an `item_info/` file:
 * it keys the width by language model, whatever the file's dimension
 * (9/32 for every model it does not list). Undefined for unknown names.
 */
export function referenceMultiplierForFile(fileName: string): number | undefined {
  const key = REFERENCE_EMBEDDING_FILES[fileName];
  if (key) return REFERENCE_MULTIPLIERS[key];
  return /^item_cf_embeds_.*_array\.npy$/.test(fileName) ? 9 / 32 : undefined;
}

/**
 * The width options with the reference code's rule filled in: when neither
 * `hidden` nor `multiplier` is set and the vectors came from a file the
 * reference keys by language model, that model's multiplier (the rule
 * `fromAlphaRecDir` applies, so the registry path builds the same MLP).
 */
export function referenceWidth(options: WidthOptions, items: { file?: string }): WidthOptions {
  if (options.hidden !== undefined || options.multiplier !== undefined || items.file === undefined) return options;
  const multiplier = referenceMultiplierForFile(items.file);
  return multiplier === undefined ? options : { ...options, multiplier };
}

/**
 * One [nItems, hidden] float32 activation above this fails on the wasm
 * backend: ~15 of them are alive in a training step, and wasm's heap stops at
 * 4 GiB (ML-100K's 1,447 items at the default width for 100-d GloVe vectors,
 * 47,185, died at 4.2 GB with "memory access out of bounds").
 */
export const WASM_ACTIVATION_LIMIT_BYTES = 256 * 2 ** 20;

/** Refuses, before training, a width whose activations cannot fit the wasm heap, naming the option that sets it. */
export function checkWidthFits(nItems: number, dim: number, hidden: number, backend = tf.getBackend()): void {
  const bytes = nItems * hidden * 4;
  if (backend !== 'wasm' || bytes <= WASM_ACTIVATION_LIMIT_BYTES) return;
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  throw new LmrecError('E_CONFIG', `an MLP hidden width of ${hidden} for ${nItems} items (d = ${dim}) needs ${mib(bytes)} per activation, over the ${mib(WASM_ACTIVATION_LIMIT_BYTES)} the wasm backend's 4 GiB heap allows`, {
    field: 'hidden',
    hint: `the paper's ~4.7M-weight first layer is meant for 768-4096-d LM vectors; set hidden (e.g. ${Math.min(hidden, 8 * dim)}) or multiplier, or use a native backend (LMREC_BACKEND=tensorflow)`,
  });
}
