import { join } from 'node:path';
import { DEPS, LmrecError, readNpy, writeNpy, type ProgressReporter, type TextEncoder } from '@lmrec/core';
import type { PluginRef } from '../config/schema.js';
import { safeName, type DepSource, type ExperimentContext } from '../context.js';
import { hashOf } from '../steps/hash.js';
import type { CfData } from './data.js';

export type Vectors = { dim: number; data: Float32Array };

/** How a saved row's encoder is rebuilt (`lmrec recommend --intention`): the plugin, its options, the texts it was fitted on. */
export interface EncoderSpec {
  name: string;
  options: Record<string, unknown>;
  /** Run-folder-relative file whose `titles` the encoder was fitted on. */
  fittedOn: string;
}

/** Every text through the encoder, as one row-major [texts.length, dim] matrix. */
export async function encodeMatrix(encoder: TextEncoder, texts: readonly string[], progress?: ProgressReporter): Promise<Vectors> {
  const rows = await encoder.encode(texts, { progress });
  const data = new Float32Array(rows.length * encoder.dim);
  rows.forEach((row, i) => data.set(row, i * encoder.dim));
  return { dim: encoder.dim, data };
}

/** A function computed on its first call only. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}

/** An encoder plugin fitted (when it fits) on `corpus`; built once per call site. */
export function fittedEncoder(ctx: ExperimentContext, ref: PluginRef, field: string, corpus: readonly string[]): () => Promise<TextEncoder> {
  return once(async () => {
    const encoder = await ctx.create<TextEncoder>('TextEncoder', ref, field);
    await encoder.fit?.(corpus);
    return encoder;
  });
}

/**
 * The item vectors and the encoder that makes them, as pipeline
 * dependencies: with an encoder ref, its vectors over the item titles (an
 * "encoding" step, saved as .npy and reused while the encoder, its options
 * and the titles are the same); with `null`, the dataset's own vectors.
 */
export function vectorSources(ctx: ExperimentContext, data: CfData, ref: PluginRef | null | undefined, field = 'encoder'): DepSource[] {
  if (!ref) {
    return [
      {
        token: DEPS.ItemEmbeddings,
        material: () => ({ from: 'dataset', ...(data.material as object) }),
        get: () => {
          if (data.itemEmbeddings) return data.itemEmbeddings;
          throw new LmrecError('E_CONFIG', `this model needs item vectors: set "encoder" or use a dataset that ships them (${data.name} does not)`, { field: 'encoder' });
        },
      },
    ];
  }
  const titles = data.titles;
  if (!titles) {
    const fail = () => {
      throw new LmrecError('E_CONFIG', `dataset ${data.name} has no item texts to encode`, ctx.where(field));
    };
    return [DEPS.TextEncoder, DEPS.ItemEmbeddings].map((token) => ({ token, material: fail, get: fail }));
  }
  const texts = hashOf(titles);
  const encoder = fittedEncoder(ctx, ref, field, titles);
  const encoderMaterial = async () => ({ ...(await ctx.material('TextEncoder', ref, field)), fittedOn: texts });
  const spec: EncoderSpec = { name: ref.name, options: ref.options ?? {}, fittedOn: join(data.dir.slice(ctx.outDir.length + 1), 'items.json') };
  return [
    { token: DEPS.TextEncoder, material: encoderMaterial, get: encoder, spec },
    {
      token: DEPS.ItemEmbeddings,
      material: async () => ({ encoder: await encoderMaterial(), texts }),
      get: once(async () => encodingStep(ctx, `${field} (${ref.label ?? ref.name})`, { encoder: await encoderMaterial(), texts }, async () => encodeMatrix(await encoder(), titles, ctx.progress))),
    },
  ];
}

/** Encoding as a step: the vectors saved as .npy in the run folder, reused on an equal key. */
export async function encodingStep(ctx: ExperimentContext, label: string, material: unknown, encode: () => Promise<Vectors>): Promise<Vectors> {
  const id = `encoding-${safeName(label)}`;
  const file = join(ctx.outDir, 'encodings', `${id}.npy`);
  let vectors: Vectors | undefined;
  await ctx.steps.run({ id, label, verb: 're-encoding' }, material, async () => {
    vectors = await encode();
    await writeNpy(file, vectors.data, [vectors.data.length / vectors.dim, vectors.dim]);
    return { file: `encodings/${id}.npy`, dim: vectors.dim };
  });
  if (vectors) return vectors;
  const arr = await readNpy(file);
  return { dim: arr.shape[1], data: arr.data as Float32Array };
}
