import type { SafeTensor, TextEncoder } from '@lmrec/core';
import { CachedEncoder, GloveEncoder, GLOVE_TOKENIZER, gloveTokens, sifWeights } from '@lmrec/encoders';
import type { IntentionSpec } from '@lmrec/browser';
import { TENSORS } from '@lmrec/browser';

export interface VocabularyPart {
  spec: IntentionSpec;
  tensors: Record<string, SafeTensor>;
}

/** The encoder under any cache wrappers. */
export function innerEncoder(encoder: TextEncoder | undefined): TextEncoder | undefined {
  let e = encoder;
  while (e instanceof CachedEncoder) e = e.inner;
  return e;
}

/**
 * The glove encoder's vocabulary subset a page needs to encode intentions:
 * every row a catalogue title uses (joined hyphen words included) and the
 * `top` most frequent rows (all rows for `top` = Infinity), in the table's
 * order, with each row's SIF weight from the FULL table and the fitted
 * component, so an intention made of bundled words pools exactly as here.
 */
export async function gloveVocabulary(encoder: GloveEncoder, titles: readonly string[], top: number, dtype: 'F32' | 'F16'): Promise<VocabularyPart> {
  const table = await encoder.load();
  const rows = new Set<number>();
  for (let i = 0; i < Math.min(top, table.size); i++) rows.add(i);
  for (const title of titles) for (const t of gloveTokens(title, table.lookup)) if (t.index >= 0) rows.add(t.index);
  const order = [...rows].sort((a, b) => a - b);
  const d = table.dim;
  const vectors = new Float32Array(order.length * d);
  order.forEach((row, i) => vectors.set(table.row(row), i * d));
  const tensors: Record<string, SafeTensor> = { [TENSORS.vocabVectors]: { dtype, shape: [order.length, d], data: vectors } };
  if (encoder.pooling === 'sif') {
    const all = sifWeights(table.size, encoder.sifA!);
    tensors[TENSORS.vocabWeights] = { dtype: 'F32', shape: [order.length], data: Float32Array.from(order, (r) => all[r]) };
  }
  const pc = encoder.getFitState()?.pc;
  if (encoder.removePc && pc) tensors[TENSORS.vocabPc] = { dtype: 'F32', shape: [d], data: Float32Array.from(pc) };
  const spec: IntentionSpec = {
    encoder: 'glove',
    id: encoder.id,
    tokenizer: GLOVE_TOKENIZER,
    pooling: encoder.pooling,
    removePc: encoder.removePc,
    words: order.map((r) => table.words[r]),
    fullVocabulary: table.size,
  };
  return { spec, tensors };
}

/** The glove encoder under any cache wrappers, or undefined (only glove's intentions can go into a bundle: its vectors are a finite table). */
export function gloveOf(encoder: TextEncoder | undefined): GloveEncoder | undefined {
  const inner = innerEncoder(encoder);
  return inner instanceof GloveEncoder ? inner : undefined;
}
