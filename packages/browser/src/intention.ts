import { gloveTokens, GLOVE_TOKENIZER, l2Normalize } from '@lmrec/encoders/browser';
import { BundleError } from './errors.js';
import type { IntentionSpec } from './format.js';

/** How an intention text was read: the language vector and the words the bundled vocabulary did not know. */
export interface EncodedIntention {
  vector: Float32Array;
  unknown: string[];
}

/**
 * The glove encoder on the bundled vocabulary subset: the same tokenizer
 * (from @lmrec/encoders), the same pooling sum_t w_t v_t / T over the
 * known tokens, the same removal of the fitted component and L2
 * normalisation, so for words in the subset the vector equals the one
 * `lmrec recommend --intention` computes with the full table.
 */
export class IntentionEncoder {
  private readonly rows: Map<string, number>;

  constructor(
    readonly spec: IntentionSpec,
    private readonly vectors: Float32Array,
    readonly dim: number,
    private readonly weights: Float32Array | undefined,
    private readonly pc: Float32Array | undefined,
  ) {
    if (spec.tokenizer !== GLOVE_TOKENIZER) {
      throw new BundleError('E_BUNDLE_VERSION', `the bundle's intention vocabulary was cut with tokenizer "${spec.tokenizer}", this page has "${GLOVE_TOKENIZER}"`, { field: 'intention.tokenizer' });
    }
    this.rows = new Map(spec.words.map((w, i) => [w, i]));
  }

  encode(text: string): EncodedIntention {
    const tokens = gloveTokens(text, (word) => this.rows.get(word) ?? -1);
    const d = this.dim;
    const x = new Float64Array(d);
    const unknown: string[] = [];
    let count = 0;
    for (const t of tokens) {
      if (t.kind === 'punct') continue;
      if (t.index < 0) {
        unknown.push(t.text);
        continue;
      }
      const w = this.weights ? this.weights[t.index] : 1;
      const base = t.index * d;
      for (let j = 0; j < d; j++) x[j] += w * this.vectors[base + j];
      count++;
    }
    if (count > 0) for (let j = 0; j < d; j++) x[j] /= count;
    if (this.spec.removePc && this.pc) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += this.pc[j] * x[j];
      for (let j = 0; j < d; j++) x[j] -= dot * this.pc[j];
    }
    return { vector: l2Normalize(Float32Array.from(x)), unknown };
  }
}
