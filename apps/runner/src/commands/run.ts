import { loadConfig } from '../config/load.js';
import { UsageError } from '../cli/errors.js';
import { plannedRows } from '../plan/labels.js';
import { isRunFolder } from '../run/output.js';
import { outputOf, prepareRun, runConfig } from '../run/run.js';
import { expandSearch, runSearch, trialConfigs } from '../search.js';
import { parseSeeds, runSeeds } from '../seeds.js';
import { COMMON_FLAGS, type Command } from './types.js';

export const OUTPUT_FLAGS = {
  output: { type: 'string', short: 'o', arg: 'DIR', help: 'run folder (default: the config\'s "output", else runs/<name>); an existing folder must be an lmrec run' },
  fresh: { type: 'boolean', help: "start over: delete the folder's finished steps, checkpoints and results first (only lmrec's own files)" },
} as const;

export const runCommand: Command = {
  summary: 'run an experiment config (a killed run started again resumes; changed steps are recomputed)',
  usage: ['lmrec run <config.yaml> [--output DIR] [--fresh] [--seeds 0,1,2] [--dry-run] [--quiet|--json]'],
  args: { 'config.yaml': 'the experiment config (see apps/runner/configs)' },
  flags: {
    ...COMMON_FLAGS,
    ...OUTPUT_FLAGS,
    seeds: { type: 'string', arg: '0,1,2', help: "run the config once per seed (folders seed-<n>) and report each row's mean ± standard deviation over seeds beside its per-unit SE" },
    'dry-run': { type: 'boolean', help: 'check the config against every plugin and print the plan, without running' },
  },
  async run({ values, positionals, progress, out }) {
    const file = positionals[0];
    if (!file) throw new UsageError('missing the config file');
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const seeds = values.seeds === undefined ? undefined : parseSeeds(String(values.seeds));
    const loaded = await loadConfig(file);
    if (values['dry-run']) {
      const { config } = await prepareRun(loaded);
      if (config.search) await trialConfigs(loaded); // every trial's config is checked too
      const dir = outputOf(loaded, values.output as string | undefined);
      const rows = plannedRows(config).map((r) => `${r.label ?? `${r.source} (label set when it runs)`}${r.when ? ` (${r.when})` : ''}`);
      const trials = config.search ? `, ${expandSearch(config).length} search trials` : '';
      const seedText = seeds ? `, seeds ${seeds.join(', ')}` : '';
      out(`${loaded.file}: valid (${config.experiment}${trials}${seedText})\nrows: ${rows.join(', ') || '(none)'}\noutput: ${dir}${isRunFolder(dir) ? ' (an earlier run: unchanged steps are reused)' : ''}`);
      return 0;
    }
    const options = { output: values.output as string | undefined, fresh: Boolean(values.fresh), progress };
    if (seeds) await runSeeds(loaded, seeds, { ...options, print: (t) => out(t) });
    else if (loaded.config.search) await runSearch(loaded, { ...options, print: (t) => out(t) });
    else await runConfig(loaded, { ...options, print: (t) => out(t) });
    return 0;
  },
};
