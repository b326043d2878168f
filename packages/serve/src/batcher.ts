export interface BatchOptions {
  /** Most queries per scoring call (default 64). */
  maxBatch?: number;
}

/**
 * Coalesces concurrent calls into one batched call without adding a timer:
 * calls that arrive while a batch is being scored (or in the same turn of
 * the event loop) go into the next batch. At concurrency 1 this is a plain
 * call; under load, batches grow to what piled up.
 */
export class Batcher<Q, R> {
  private queue: { query: Q; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  private readonly maxBatch: number;
  /** Sizes of the batches run so far (for tests and benchmarks). */
  readonly batchSizes: number[] = [];

  constructor(
    private readonly run: (queries: Q[]) => Promise<R[]>,
    options: BatchOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 64);
  }

  push(query: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ query, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.batchSizes.push(batch.length);
      try {
        const results = await this.run(batch.map((b) => b.query));
        batch.forEach((b, i) => b.resolve(results[i]));
      } catch (error) {
        batch.forEach((b) => b.reject(error));
      }
      // Let requests parsed meanwhile join the next batch.
      if (this.queue.length > 0) await new Promise((r) => setImmediate(r));
    }
    this.busy = false;
  }
}
