import type { Backbone, DialogueTurn, ProgressReporter } from '@lmrec/core';
import { ArtifactsBackbone } from './backbones/artifacts.js';

/**
 * Context vectors of examples as one matrix [n * d]. Artifacts backbones
 * look rows up by example id; every other backbone encodes the turns.
 */
export async function encodeContexts(backbone: Backbone, examples: readonly { id: string; context: readonly DialogueTurn[] }[], options: { progress?: ProgressReporter; batchSize?: number } = {}): Promise<Float32Array> {
  const vectors =
    backbone instanceof ArtifactsBackbone
      ? await backbone.contextVectorsForIds(examples.map((e) => e.id))
      : await encodeInBatches(backbone, examples.map((e) => e.context), options);
  const d = backbone.dim;
  const out = new Float32Array(examples.length * d);
  vectors.forEach((v, i) => out.set(v, i * d));
  return out;
}

async function encodeInBatches(backbone: Backbone, contexts: readonly (readonly DialogueTurn[])[], options: { progress?: ProgressReporter; batchSize?: number }): Promise<Float32Array[]> {
  const size = options.batchSize ?? 256;
  const task = options.progress?.start('encode contexts', contexts.length, 'contexts');
  const out: Float32Array[] = [];
  for (let s = 0; s < contexts.length; s += size) {
    out.push(...(await backbone.contextVectors(contexts.slice(s, s + size))));
    task?.tick(Math.min(size, contexts.length - s));
  }
  task?.end();
  return out;
}
