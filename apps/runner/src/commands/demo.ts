import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { prepareOutput } from '../run/output.js';
import { runConfig } from '../run/run.js';
import { shippedConfig } from '../shipped.js';
import { OUTPUT_FLAGS } from './run.js';
import { COMMON_FLAGS, type Command } from './types.js';

/** The main job: RTA's comparison and an AlphaRec comparison on the bundled offline data. */
export const demoCommand: Command = {
  summary: "the main job: RTA's table and an AlphaRec comparison on the bundled data (a few minutes on 2 cores)",
  usage: ['lmrec demo [--output DIR] [--fresh] [--quiet|--json]'],
  flags: { ...COMMON_FLAGS, output: { ...OUTPUT_FLAGS.output, help: 'folder of the two runs (default runs/demo)' }, fresh: OUTPUT_FLAGS.fresh },
  async run({ values, progress, out }) {
    const root = await prepareOutput(resolve((values.output as string | undefined) ?? join(process.cwd(), 'runs', 'demo')), { fresh: Boolean(values.fresh) });
    const reports: string[] = [];
    for (const name of ['demo-rta', 'demo-alpharec']) {
      const loaded = await loadConfig(shippedConfig(`${name}.yaml`));
      const { report } = await runConfig(loaded, { output: join(root, name), fresh: Boolean(values.fresh), progress, print: (t) => out(t) });
      reports.push(report);
    }
    out(`\nreports:\n${reports.map((r) => `  ${r}`).join('\n')}`);
    return 0;
  },
};
