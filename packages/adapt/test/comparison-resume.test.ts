import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturingProgress, initBackend, LmrecError, type ProgressReporter } from '@lmrec/core';
import { loadBundledRedial, type ConversationDataset } from '@lmrec/datasets';
import { runRtaComparison, type RtaStep } from '../src/index.js';
import { ABORTED_ROW, smallComparison } from './fixtures/small-comparison.js';
import { fileStepCache, withoutTimes } from './step-cache.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'adapt-rows-'));
  dirs.push(d);
  return d;
};
let dataset: ConversationDataset;
beforeAll(async () => {
  await initBackend();
  dataset = await loadBundledRedial();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Aborts once the progress log reports `line` (an epoch of a row). */
function abortOn(prefix: string): { signal: AbortSignal; progress: ProgressReporter & { lines: string[] } } {
  const controller = new AbortController();
  const lines: string[] = [];
  return {
    signal: controller.signal,
    progress: {
      lines,
      start: () => ({ tick() {}, set() {}, end() {} }),
      log(message) {
        lines.push(message);
        if (message.startsWith(prefix)) controller.abort();
      },
    },
  };
}

describe('runRtaComparison: per-row steps', () => {
  it('interrupted mid-row, then resumed from the step cache, equals an uninterrupted run in every number', async () => {
    const uninterrupted = await runRtaComparison(dataset, smallComparison());

    const cacheDir = tmp();
    const first = fileStepCache(cacheDir);
    const stop = abortOn(`${ABORTED_ROW} epoch 2:`);
    let error: unknown;
    try {
      await runRtaComparison(dataset, { ...smallComparison(), step: first.step, signal: stop.signal, progress: stop.progress });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LmrecError);
    expect((error as LmrecError).code).toBe('E_ABORTED');
    // the rows before it and the reindex training were stored; the aborted row was not, but its checkpoint was
    expect(first.runs).toEqual(['Popularity', 'FISM', 'reindex-training', 'Reindex', ABORTED_ROW]);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.json'))).toHaveLength(4);

    const second = fileStepCache(cacheDir);
    const progress = new CapturingProgress();
    const resumed = await runRtaComparison(dataset, { ...smallComparison(), step: second.step, progress });
    expect(second.hits).toEqual(['Popularity', 'FISM', 'reindex-training', 'Reindex']);
    expect(second.runs).toEqual([ABORTED_ROW, '+Bias gW (trainable agg.)', '+RecSys FISM (frozen agg.)']);
    expect(progress.events.some((e) => e.type === 'log' && e.message.startsWith(`resumed ${ABORTED_ROW} from`) && e.message.endsWith('after epoch 2'))).toBe(true);
    expect(withoutTimes(resumed)).toEqual(withoutTimes(uninterrupted));

    // everything cached now: nothing trains, same result
    const third = fileStepCache(cacheDir);
    const cached = await runRtaComparison(dataset, { ...smallComparison(), step: third.step });
    expect(third.runs).toEqual([]);
    expect(withoutTimes(cached)).toEqual(withoutTimes(uninterrupted));
  });

  it('a changed setting recomputes exactly the rows that depend on it; a stale checkpoint is refused', async () => {
    const cacheDir = tmp();
    await runRtaComparison(dataset, { ...smallComparison(), step: fileStepCache(cacheDir).step });
    const again = fileStepCache(cacheDir);
    await runRtaComparison(dataset, { ...smallComparison(), bias: { ...smallComparison().bias, learningRate: 2e-2 }, step: again.step });
    expect(again.runs).toEqual([ABORTED_ROW, '+Bias gW (trainable agg.)']);
    const reindexChanged = fileStepCache(cacheDir);
    await runRtaComparison(dataset, { ...smallComparison(), reindex: { ...smallComparison().reindex, maxEpochs: 1 }, step: reindexChanged.step });
    expect(reindexChanged.hits).toEqual(['Popularity', 'FISM']);
    expect(reindexChanged.runs).toEqual(['reindex-training', 'Reindex', ABORTED_ROW, '+Bias gW (trainable agg.)', '+RecSys FISM (frozen agg.)']);
    // a hook that hands a recomputed step the folder of its previous configuration gets an error, not the old training
    const careless: RtaStep = (key, _deps, run) => run(join(cacheDir, 'careless', key));
    await runRtaComparison(dataset, { ...smallComparison(), variants: [ABORTED_ROW], step: careless });
    const stale = runRtaComparison(dataset, { ...smallComparison(), variants: [ABORTED_ROW], bias: { ...smallComparison().bias, learningRate: 3e-2 }, step: careless });
    await expect(stale).rejects.toMatchObject({ code: 'E_CHECKPOINT' });
  });
});
