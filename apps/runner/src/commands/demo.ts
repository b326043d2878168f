import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { runConfig } from '../run.js';
import { shippedConfig } from '../shipped.js';
import { COMMON_OPTIONS, type Command } from './types.js';

/** The main job: RTA's comparison and an AlphaRec comparison on the bundled offline data. */
export const demoCommand: Command = {
  summary: "the main job: RTA's table and an AlphaRec comparison on the bundled data (a few minutes on 2 cores)",
  usage: 'lmrec demo [--output DIR] [--fresh] [--quiet|--json]',
  options: { ...COMMON_OPTIONS, output: { type: 'string', short: 'o' }, fresh: { type: 'boolean' } },
  async run({ values, progress }) {
    const root = (values.output as string | undefined) ?? join(process.cwd(), 'runs', 'demo');
    const reports: string[] = [];
    for (const name of ['demo-rta', 'demo-alpharec']) {
      const loaded = await loadConfig(shippedConfig(`${name}.yaml`));
      const { report } = await runConfig(loaded, { output: join(root, name), fresh: Boolean(values.fresh), progress });
      reports.push(report);
    }
    process.stdout.write(`\nreports:\n${reports.map((r) => `  ${r}`).join('\n')}\n`);
    return 0;
  },
};
