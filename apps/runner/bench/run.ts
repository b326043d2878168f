// The main job as a benchmark: `lmrec demo` (RTA table + AlphaRec comparison) and the intention study
// on the bundled ReDIAL sample, timed, with their headline numbers.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { CapturingProgress } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { shippedConfig } from '../src/shipped.js';
import { markdownTable, peakRssMiB, writeBenchSection } from '../../../scripts/bench-utils.js';

const out = mkdtempSync(join(tmpdir(), 'lmrec-demo-bench-'));
const rows: Record<string, string | number>[] = [];
const tables: string[] = [];
for (const name of ['demo-rta', 'demo-alpharec', 'intention']) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { results } = await runConfig(await loadConfig(shippedConfig(`${name}.yaml`)), { output: join(out, name), progress: new CapturingProgress(), print: () => {} });
  const cpu = process.cpuUsage(cpu0);
  rows.push({ config: name, 'wall s': (performance.now() - t0) / 1000, 'CPU s': (cpu.user + cpu.system) / 1e6, backend: results.backend });
  const exp = results.experiments[0];
  const keys = exp.metricKeys.filter((k) => /@(5|10|20)$/.test(k));
  tables.push(`#### ${exp.title}\n\n${markdownTable(exp.rows.map((r) => ({ model: r.label, ...Object.fromEntries(keys.map((k) => [k, `${r.metrics[k]?.mean.toFixed(4)} ± ${r.metrics[k]?.se.toFixed(4)}`])) })))}`);
}
const body = `${markdownTable(rows)}\nPeak RSS: ${peakRssMiB().toFixed(0)} MiB. Wall time includes loading, encoding, training every model and writing the reports; "CPU s" is this process's user + system time.\n\n${tables.join('\n')}`;
writeBenchSection(join(import.meta.dirname, 'results.md'), 'runner: the main job (`lmrec demo`) and the intention study', 'pnpm --filter @lmrec/runner bench', body);
console.log(body);
