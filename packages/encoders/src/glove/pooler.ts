import { createHash } from 'node:crypto';
import { LmrecError } from '@lmrec/core';
import { l2Normalize } from '../util/batch.js';
import { firstPrincipalComponent, poolRows, removeComponent, sifWeights } from './pooling.js';
import { gloveTokens, type GloveToken } from './tokenize.js';
import type { GloveVectors } from './vectors.js';

/** The fitted part of SIF: the first principal component of the corpus's pooled vectors (null: the corpus had none). */
export interface GloveFitState {
  pc: number[] | null;
}

/**
 * Tokens -> one vector, shared by the `glove` encoder and the reindex
 * backbone: in-vocabulary tokens only (punctuation and OOV dropped), mean or
 * SIF-weighted average, optional removal of the fitted first component.
 */
export class GlovePooler {
  /** SIF weight of every row; undefined for mean pooling. */
  readonly weights: Float32Array | undefined;
  private pc: Float64Array | undefined;
  private state: GloveFitState | undefined;
  private fingerprint: string | undefined;

  constructor(
    readonly table: GloveVectors,
    /** SIF's a; undefined for plain mean pooling. */
    readonly sifA?: number,
  ) {
    this.weights = sifA === undefined ? undefined : sifWeights(table.size, sifA);
  }

  tokens(text: string): GloveToken[] {
    return gloveTokens(text, this.table.lookup);
  }

  /** sum_t w_t s_t v_t / T over the T in-vocabulary tokens (w: SIF weight or 1, s: `scale(position of t)` or 1). */
  pool(tokens: readonly GloveToken[], scale?: (position: number) => number): Float64Array {
    const indices: number[] = [];
    const factors: number[] = [];
    tokens.forEach((t, position) => {
      if (t.index < 0 || t.kind === 'punct') return;
      indices.push(t.index);
      factors.push((this.weights ? this.weights[t.index] : 1) * (scale ? scale(position) : 1));
    });
    return poolRows(this.table, indices, factors);
  }

  get fitState(): GloveFitState | undefined {
    return this.state;
  }

  /** 16 hex digits of sha256 of the component ('none' when the corpus gave none); undefined before fitting. */
  get fitFingerprint(): string | undefined {
    return this.fingerprint;
  }

  fit(corpus: readonly string[]): void {
    const rows = corpus.map((text) => this.pool(this.tokens(text)));
    const pc = firstPrincipalComponent(rows, this.table.dim);
    this.setFitState({ pc: pc ? [...pc] : null });
  }

  setFitState(state: GloveFitState): void {
    if (state.pc !== null && (!Array.isArray(state.pc) || state.pc.length !== this.table.dim || !state.pc.every(Number.isFinite))) {
      throw new LmrecError('E_SHAPE', `GloVe fit state: pc must be ${this.table.dim} finite numbers or null`, { field: 'pc' });
    }
    this.state = { pc: state.pc === null ? null : [...state.pc] };
    this.pc = state.pc === null ? undefined : Float64Array.from(state.pc);
    this.fingerprint = this.pc ? createHash('sha256').update(new Uint8Array(this.pc.buffer)).digest('hex').slice(0, 16) : 'none';
  }

  /** Removes the fitted component from x (in place) when there is one. */
  project(x: Float64Array): Float64Array {
    return this.pc ? removeComponent(x, this.pc) : x;
  }

  /** The encoder's output: pooled, component removed when asked, L2-normalised float32 (zeros when no token is known). */
  encodeTokens(tokens: readonly GloveToken[], removePc: boolean): Float32Array {
    const x = this.pool(tokens);
    if (removePc) this.project(x);
    return l2Normalize(Float32Array.from(x));
  }
}
