import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCrsExamples } from '@lmrec/datasets';
import { UsageError } from '../cli/errors.js';
import { loadConfig } from '../config/load.js';
import { createContext } from '../context.js';
import { isConversationDataset, loadCfData, loadDataset, splitDir } from '../experiments/data.js';
import { prepareOutput } from '../run/output.js';
import { outputOf, prepareRun } from '../run/run.js';
import { OUTPUT_FLAGS } from './run.js';
import { COMMON_FLAGS, type Command } from './types.js';

/** `lmrec data stats|prepare <config>`: what the config's dataset holds, or its split saved into the run folder. */
export const dataCommand: Command = {
  summary: "dataset statistics (stats) or the config's split written into its run folder (prepare)",
  usage: ['lmrec data stats <config.yaml>', 'lmrec data prepare <config.yaml> [--output DIR]'],
  args: { 'config.yaml': 'the experiment config whose dataset to read' },
  flags: { ...COMMON_FLAGS, output: { ...OUTPUT_FLAGS.output, help: 'run folder the split is written to (prepare)' } },
  async run({ values, positionals, progress, out }) {
    const [action, file] = positionals;
    if (action !== 'stats' && action !== 'prepare') throw new UsageError(action ? `unknown action "${action}": stats or prepare` : 'missing the action: stats or prepare');
    if (!file) throw new UsageError('missing the config file');
    if (action === 'stats' && values.output) throw new UsageError('--output goes with prepare (stats writes nothing)', 'output');
    const loaded = await loadConfig(file);
    const { config, registry } = await prepareRun(loaded);
    // stats reads only: its split goes to a scratch folder that is removed afterwards.
    const scratch = action === 'stats' ? mkdtempSync(join(tmpdir(), 'lmrec-stats-')) : undefined;
    const outDir = scratch ?? (await prepareOutput(outputOf(loaded, values.output as string | undefined), { pluginsFrom: loaded.baseDir }));
    try {
      const ctx = createContext({ config, file: loaded.file, outDir, registry, progress, lineOf: loaded.lineOf });
      const raw = await loadDataset(ctx, config.dataset);
      const report: Record<string, unknown> = { loader: config.dataset.loader };
      if (isConversationDataset(raw)) {
        report.conversations = Object.fromEntries(Object.entries(raw.split).map(([k, v]) => [k, v.length]));
        report.examples = Object.fromEntries(Object.entries(raw.split).map(([k, v]) => [k, toCrsExamples(raw, v).length]));
        report.items = raw.items.ids.length;
      } else if (raw && typeof (raw as { stats?: unknown }).stats === 'function') {
        report.interactions = (raw as { stats(): unknown }).stats();
      }
      if (config.experiment !== 'rta' && config.experiment !== 'rta-aggregators') {
        report.split = (await loadCfData(ctx, config.dataset, 'dataset', raw)).stats;
        if (action === 'prepare') report.savedTo = splitDir(outDir, 'dataset');
      }
      out(JSON.stringify(report, null, 2));
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
    return 0;
  },
};
