import { LmrecError, silentProgress, type EncodeOptions, type ProgressTask } from '@lmrec/core';

/** Throws the signal's reason (an AbortError DOMException unless the caller gave one). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

/** Lets timers, I/O and abort handlers run between batches of CPU work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function checkBatchSize(batchSize: number | undefined, fallback: number): number {
  const size = batchSize ?? fallback;
  if (!Number.isInteger(size) || size < 1) {
    throw new LmrecError('E_ARGUMENT', `batchSize must be a positive integer, got ${batchSize}`, { field: 'batchSize' });
  }
  return size;
}

/** In-place L2 normalisation; an all-zero row stays zero. */
export function l2Normalize(row: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += row[i] * row[i];
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < row.length; i++) row[i] *= inv;
  }
  return row;
}

export function startProgress(options: EncodeOptions | undefined, name: string, total: number): ProgressTask {
  return (options?.progress ?? silentProgress).start(name, total, 'texts');
}

/**
 * Runs `encodeBatch` over consecutive slices of `texts`, checking the abort
 * signal before each slice and reporting progress in texts.
 */
export async function encodeInBatches(
  texts: readonly string[],
  options: EncodeOptions | undefined,
  defaultBatchSize: number,
  name: string,
  encodeBatch: (batch: readonly string[]) => Promise<Float32Array[]> | Float32Array[],
): Promise<Float32Array[]> {
  const batchSize = checkBatchSize(options?.batchSize, defaultBatchSize);
  throwIfAborted(options?.signal);
  const task = startProgress(options, name, texts.length);
  const out: Float32Array[] = [];
  try {
    for (let start = 0; start < texts.length; start += batchSize) {
      throwIfAborted(options?.signal);
      const batch = texts.slice(start, start + batchSize);
      const rows = await encodeBatch(batch);
      if (rows.length !== batch.length) {
        throw new LmrecError('E_ENCODER', `${name}: batch of ${batch.length} texts gave ${rows.length} rows`);
      }
      for (const row of rows) out.push(row);
      task.tick(batch.length);
      if (start + batchSize < texts.length) await yieldToEventLoop();
    }
  } finally {
    task.end();
  }
  return out;
}
