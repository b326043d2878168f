import { createHash } from 'node:crypto';
import { LmrecError, type Backbone, type ProgressReporter } from '@lmrec/core';
import { toCrsExamples, type ConversationDataset, type CrsExample } from '@lmrec/datasets';
import type { AdaptExamples } from '../examples.js';
import type { RtaComparisonOptions } from './types.js';

/** The examples of one part, with their context vectors. */
export interface Part {
  examples: CrsExample[];
  set: AdaptExamples;
}

/** Train mention frequency: every item mention in the train conversations. */
export function mentionCounts(dataset: ConversationDataset): Float64Array {
  const counts = new Float64Array(dataset.items.ids.length);
  for (const ci of dataset.split.train) for (const turn of dataset.conversations[ci].turns) for (const j of turn.items) counts[j]++;
  return counts;
}

/** Train target frequency: how often each item is the target of a train example (the official RTA popularity). */
export function targetCounts(nItems: number, train: readonly CrsExample[]): Float64Array {
  const counts = new Float64Array(nItems);
  for (const e of train) counts[e.target]++;
  return counts;
}

/** RTA examples of the three parts (capped by `maxExamples`); an empty train or test part is an error. */
export function comparisonExamples(dataset: ConversationDataset, options: RtaComparisonOptions): Record<'train' | 'valid' | 'test', CrsExample[]> {
  const maxHistory = options.maxHistory ?? 128;
  const part = (name: 'train' | 'valid' | 'test') => {
    const list = toCrsExamples(dataset, dataset.split[name], { maxHistory, history: options.history ?? 'all' });
    const n = options.maxExamples?.[name];
    return n === undefined ? list : list.slice(0, n);
  };
  const out = { train: part('train'), valid: part('valid'), test: part('test') };
  if (out.train.length === 0 || out.test.length === 0) {
    throw new LmrecError('E_DATA', `dataset "${dataset.name}" yields ${out.train.length} train and ${out.test.length} test examples`, {
      hint: 'RTA examples are recommender turns that mention items',
    });
  }
  return out;
}

async function contextQueries(backbone: Backbone, examples: readonly CrsExample[], progress: ProgressReporter): Promise<Float32Array> {
  // Several targets of one turn share a context: encode each context once.
  const keyOf = (e: CrsExample) => `${e.conversationId}\u0000${e.turnIndex}`;
  const unique = new Map<string, number>();
  const contexts: CrsExample['context'][] = [];
  for (const e of examples) {
    if (!unique.has(keyOf(e))) {
      unique.set(keyOf(e), contexts.length);
      contexts.push(e.context);
    }
  }
  const vectors = await backbone.contextVectors(contexts, { progress });
  const d = backbone.dim;
  const out = new Float32Array(examples.length * d);
  examples.forEach((e, i) => out.set(vectors[unique.get(keyOf(e))!], i * d));
  return out;
}

/** Each part's examples with the backbone's context vector per example. */
export async function encodeParts(backbone: Backbone, examples: Record<'train' | 'valid' | 'test', CrsExample[]>, progress: ProgressReporter): Promise<Record<'train' | 'valid' | 'test', Part>> {
  const d = backbone.dim;
  const part = async (list: CrsExample[]): Promise<Part> => ({
    examples: list,
    set: { targets: Int32Array.from(list, (e) => e.target), histories: list.map((e) => e.history), queries: await contextQueries(backbone, list, progress), dim: d },
  });
  return { train: await part(examples.train), valid: await part(examples.valid), test: await part(examples.test) };
}

/** sha256 (hex, 16 chars) of numbers and strings: a content fingerprint for step keys. */
export function fingerprint(...parts: readonly (ArrayLike<number> | string | readonly ArrayLike<number>[])[]): string {
  const hash = createHash('sha256');
  for (const p of parts) {
    if (typeof p === 'string') hash.update(`s${p.length}:${p}`);
    else if (Array.isArray(p) && p.length > 0 && typeof p[0] !== 'number') for (const a of p as ArrayLike<number>[]) hash.update(floatBytes(a)).update('|');
    else hash.update(floatBytes(p as ArrayLike<number>));
    hash.update('#');
  }
  return hash.digest('hex').slice(0, 16);
}

function floatBytes(a: ArrayLike<number>): Uint8Array {
  const f = Float64Array.from(a);
  return new Uint8Array(f.buffer);
}

/** The fingerprint of a part: its targets, histories and context vectors. */
export function partFingerprint(part: Part): string {
  return fingerprint(part.set.targets, part.set.histories, part.set.queries ?? []);
}
