import { loadConfig } from '../config/load.js';
import { runConfig } from '../run.js';
import { runSearch } from '../search.js';
import { COMMON_OPTIONS, type Command } from './types.js';

export const runCommand: Command = {
  summary: 'run an experiment config (resumes an interrupted run in the same output folder)',
  usage: 'lmrec run <config.yaml> [--output DIR] [--fresh] [--quiet|--json]',
  options: { ...COMMON_OPTIONS, output: { type: 'string', short: 'o' }, fresh: { type: 'boolean' } },
  async run({ values, positionals, progress }) {
    const file = positionals[0];
    if (!file) throw new Error(`missing config file\nusage: ${runCommand.usage}`);
    const loaded = await loadConfig(file);
    const options = { output: values.output as string | undefined, fresh: Boolean(values.fresh), progress };
    if (loaded.config.search) await runSearch(loaded, options);
    else await runConfig(loaded, options);
    return 0;
  },
};
