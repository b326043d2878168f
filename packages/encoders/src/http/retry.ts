/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `work(i)` for i in [0, n) with at most `concurrency` running at once;
 * results in index order. The first failure aborts the others (through the
 * signal passed to `work`) and is the one rethrown.
 */
export async function runPool<T>(n: number, concurrency: number, signal: AbortSignal | undefined, work: (i: number, signal: AbortSignal) => Promise<T>): Promise<T[]> {
  const controller = new AbortController();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  const results = new Array<T>(n);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < n) {
      const i = next++;
      try {
        combined.throwIfAborted();
        results[i] = await work(i, combined);
      } catch (error) {
        if (!failure) {
          failure = { error: signal?.aborted ? signal.reason : error };
          controller.abort(failure.error);
        }
      }
    }
  };
  const size = Math.max(1, Math.min(Math.floor(concurrency) || 1, n));
  await Promise.all(Array.from({ length: size }, worker));
  if (failure) throw failure.error;
  return results;
}
