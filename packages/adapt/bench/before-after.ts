/**
 * The RTA comparison on the bundled ReDIAL sample with a fixed seed, every
 * number printed as JSON (test metrics of every row, gates, training summary).
 * Used to check that a refactoring keeps the numbers:
 *   node --conditions=source --import tsx packages/adapt/bench/before-after.ts out.json
 * (run from the repository root, with TSX_TSCONFIG_PATH=packages/adapt/bench/tsconfig.json).
 */
import { writeFileSync } from 'node:fs';
import { initBackend } from '@lmrec/core';
import { loadBundledRedial } from '@lmrec/datasets';
import { runRtaComparison } from '../src/index.js';

const out = process.argv[2] ?? 'before-after.json';
await initBackend();
const dataset = await loadBundledRedial();
const t0 = performance.now();
const result = await runRtaComparison(dataset, { seed: 0, progress: { start: () => ({ tick() {}, set() {}, end() {} }), log: (m) => console.error(m) } });
const rows = result.variants.map((v) => ({
  name: v.name,
  test: Object.fromEntries(Object.entries(v.test.metrics).map(([k, m]) => [k, m.mean])),
  testExcludeMentioned: v.testExcludeMentioned ? Object.fromEntries(Object.entries(v.testExcludeMentioned.metrics).map(([k, m]) => [k, m.mean])) : undefined,
  gate: v.gate,
  bestEpoch: v.training?.bestEpoch,
  bestValid: v.training?.bestValid,
  epochs: v.training?.epochsRun,
}));
writeFileSync(out, JSON.stringify({ reindexTraining: { ...result.reindexTraining, seconds: undefined }, examples: result.dataset.examples, rows, seconds: (performance.now() - t0) / 1000 }, null, 1));
console.error(`wrote ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
