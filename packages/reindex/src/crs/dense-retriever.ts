import { LmrecError, type CrsCatalogue, type CrsModel, type CrsScoreOptions, type DialogueTurn, type TextEncoder } from '@lmrec/core';
import { contextText } from './context-text.js';
import type { DenseRetrieverOptions } from './options.js';

/** Unit-length copy of a row (an all-zero row stays zero: it scores 0 against everything). */
function unit(row: Float32Array): Float32Array {
  let s = 0;
  for (const x of row) s += x * x;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return row.map((x) => x * inv);
}

/**
 * A dense retriever (RTA Table 3's SBERT / Instructor rows): every item is
 * the encoder's vector of its title (+ description), the conversation
 * context the vector of its turns as one text, and the score is their
 * cosine. Zero training; any TextEncoder (lexical, GloVe, ONNX, HTTP). An
 * encoder that fits (SIF's component, TF-IDF) is fitted on the item texts
 * only, never on test conversations.
 */
export class DenseRetriever implements CrsModel {
  readonly name = 'dense-retriever';
  private items: Float32Array | undefined;
  private nItems = 0;

  constructor(
    private readonly encoder: TextEncoder,
    private readonly options: DenseRetrieverOptions = {},
  ) {}

  /** Names the encoder as it is now (a fitted encoder's id names its fit). */
  get id(): string {
    const o = this.options;
    return `dense-retriever(${this.encoder.id},last=${o.lastTurns ?? 'all'},roles=${o.roles ?? true},desc=${o.descriptions ?? true})`;
  }

  /** Item i's text: its title, then " | " and its description when there is one and descriptions are on. */
  itemText(catalogue: CrsCatalogue, i: number): string {
    const description = (this.options.descriptions ?? true) ? catalogue.descriptions?.[i]?.trim() : undefined;
    return description ? `${catalogue.titles[i]} | ${description}` : catalogue.titles[i];
  }

  async prepare(catalogue: CrsCatalogue, options: CrsScoreOptions = {}): Promise<void> {
    const texts = catalogue.titles.map((_, i) => this.itemText(catalogue, i));
    await this.encoder.fit?.(texts);
    const rows = await this.encoder.encode(texts, { progress: options.progress, signal: options.signal });
    const d = this.encoder.dim;
    this.items = new Float32Array(rows.length * d);
    rows.forEach((r, i) => this.items!.set(unit(r), i * d));
    this.nItems = rows.length;
  }

  async scoreContexts(contexts: readonly (readonly DialogueTurn[])[], options: CrsScoreOptions = {}): Promise<Float32Array> {
    const items = this.items;
    if (!items) throw new LmrecError('E_STATE', 'dense-retriever: call prepare(catalogue) before scoreContexts', { hint: 'the item vectors are made there' });
    const out = new Float32Array(contexts.length * this.nItems);
    const batch = this.options.batchSize ?? 256;
    const d = this.encoder.dim;
    for (let start = 0; start < contexts.length; start += batch) {
      const texts = contexts.slice(start, start + batch).map((c) => contextText(c, this.options));
      const queries = await this.encoder.encode(texts, { signal: options.signal });
      queries.forEach((raw, r) => {
        const q = unit(raw);
        const base = (start + r) * this.nItems;
        for (let i = 0; i < this.nItems; i++) {
          let dot = 0;
          for (let k = 0, o = i * d; k < d; k++) dot += q[k] * items[o + k];
          out[base + i] = dot;
        }
      });
    }
    return out;
  }
}
