import { loadConfig } from '../config/load.js';
import { assemble } from '../container.js';
import { createContext } from '../context.js';
import { isConversationDataset, loadCfData, loadDataset } from '../experiments/data.js';
import { join, resolve } from 'node:path';
import { toCrsExamples } from '@lmrec/datasets';
import { COMMON_OPTIONS, type Command } from './types.js';

/** `lmrec data stats|prepare <config>`: what the config's dataset holds, or its split saved for reuse. */
export const dataCommand: Command = {
  summary: "dataset statistics (stats) or the config's split written to disk (prepare)",
  usage: 'lmrec data stats|prepare <config.yaml> [--output DIR]',
  options: { ...COMMON_OPTIONS, output: { type: 'string', short: 'o' } },
  async run({ values, positionals, progress }) {
    const [action, file] = positionals;
    if ((action !== 'stats' && action !== 'prepare') || !file) throw new Error(`usage: ${dataCommand.usage}`);
    const loaded = await loadConfig(file);
    const { registry } = await assemble(loaded.config.plugins, loaded.baseDir);
    const out = resolve((values.output as string | undefined) ?? join(process.cwd(), 'runs', loaded.config.name));
    const ctx = createContext(loaded.config, loaded.baseDir, out, registry, progress);
    const raw = await loadDataset(ctx, loaded.config.dataset);
    const report: Record<string, unknown> = { loader: loaded.config.dataset.loader };
    if (isConversationDataset(raw)) {
      report.conversations = Object.fromEntries(Object.entries(raw.split).map(([k, v]) => [k, v.length]));
      report.examples = Object.fromEntries(Object.entries(raw.split).map(([k, v]) => [k, toCrsExamples(raw, v).length]));
      report.items = raw.items.ids.length;
    } else if (raw && typeof (raw as { stats?: unknown }).stats === 'function') {
      report.interactions = (raw as { stats(): unknown }).stats();
    }
    const conversational = loaded.config.experiment === 'rta' || loaded.config.experiment === 'rta-aggregators';
    if (!conversational) {
      const cf = await loadCfData(ctx, loaded.config.dataset, 'dataset', raw);
      report.split = cf.stats;
      if (action === 'prepare') report.savedTo = join(out, 'split-dataset');
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  },
};
