import { assemble } from '../container.js';
import { COMMON_OPTIONS, type Command } from './types.js';

export const pluginsCommand: Command = {
  summary: 'list every registered implementation per extension point',
  usage: 'lmrec plugins [--plugin PACKAGE_OR_PATH ...]',
  options: { ...COMMON_OPTIONS, plugin: { type: 'string', multiple: true } },
  async run({ values }) {
    const extra = (values.plugin as unknown as string[] | undefined) ?? [];
    const { registry, plugins } = await assemble(extra);
    const list = registry.list();
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ plugins, extensionPoints: list }, null, 2)}\n`);
      return 0;
    }
    for (const [point, entries] of Object.entries(list)) {
      process.stdout.write(`${point}\n`);
      if (entries.length === 0) process.stdout.write('  (none)\n');
      for (const e of entries) process.stdout.write(`  ${e.name.padEnd(16)} ${e.description ?? ''}\n`);
    }
    return 0;
  },
};
