import type { ProgressReporter } from '../progress.js';

export interface EncodeOptions {
  batchSize?: number;
  signal?: AbortSignal;
  progress?: ProgressReporter;
}

/** Text -> one fixed-size vector per text. */
export interface TextEncoder {
  /** Stable id that includes the model and every option that changes outputs (cache key). */
  readonly id: string;
  readonly dim: number;
  /** Encoders fitted on a corpus (e.g. TF-IDF) learn it here; others ignore it. */
  fit?(corpus: readonly string[]): Promise<void> | void;
  /** One Float32Array of length `dim` per text, in input order. */
  encode(texts: readonly string[], options?: EncodeOptions): Promise<Float32Array[]>;
}
