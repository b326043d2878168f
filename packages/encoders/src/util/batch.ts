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

export { l2Normalize } from './l2.js';

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
