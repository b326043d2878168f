import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RtaStep } from '../src/index.js';

/**
 * What a runner does with the comparison's step hook, in miniature: one
 * JSON file per step key holding { dependsOn, result }; reused only when
 * dependsOn is equal, otherwise recomputed with a checkpoint folder of its
 * own (one per key and dependsOn).
 */
export function fileStepCache(root: string): { step: RtaStep; hits: string[]; runs: string[] } {
  const hits: string[] = [];
  const runs: string[] = [];
  mkdirSync(root, { recursive: true });
  const step: RtaStep = async (key, dependsOn, run) => {
    const id = createHash('sha256').update(key).digest('hex').slice(0, 12);
    const file = join(root, `${id}.json`);
    const deps = JSON.stringify(dependsOn);
    if (existsSync(file)) {
      const cached = JSON.parse(readFileSync(file, 'utf8'));
      if (JSON.stringify(cached.dependsOn) === deps) {
        hits.push(key);
        return cached.result;
      }
    }
    runs.push(key);
    // a checkpoint folder per (key, dependsOn): a recomputed step never resumes another configuration's checkpoint
    const result = await run(join(root, `${id}-${createHash('sha256').update(deps).digest('hex').slice(0, 12)}.d`));
    writeFileSync(file, JSON.stringify({ key, dependsOn, result }));
    return result;
  };
  return { step, hits, runs };
}

/** A deep copy without wall-clock fields (`seconds`), which differ between any two runs. */
export function withoutTimes<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'seconds' ? undefined : v)));
}
