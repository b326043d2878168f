import { EXTENSION_POINTS, suggestKey, type ExtensionPoint, type PluginDescription, type PluginRegistry } from '@lmrec/core';
import { UsageError } from '../cli/errors.js';
import { assemble } from '../container.js';
import { COMMON_FLAGS, list, type Command } from './types.js';

function describeText(d: PluginDescription): string {
  const lines = [`${d.point} "${d.name}" (${d.origin.package}@${d.origin.version})`, ...(d.description ? [`  ${d.description}`] : [])];
  if (d.options.length === 0) lines.push('  options: none');
  else {
    lines.push('  options:');
    const rows = d.options.map((o) => [o.key, `${o.type}${o.path ? ' (path)' : ''}`, o.required ? 'required' : o.default !== undefined ? `default ${JSON.stringify(o.default)}` : 'optional', o.description ?? '']);
    const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) lines.push(`    ${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`.trimEnd());
  }
  lines.push(`  needs: ${d.requires.length ? d.requires.join(', ') : 'nothing from the pipeline'}${d.optional.length ? `; uses when present: ${d.optional.join(', ')}` : ''}`);
  return lines.join('\n');
}

/** Plugins named `name` (at `point`, or at every point that has one). */
function find(registry: PluginRegistry, point: ExtensionPoint | undefined, name: string): PluginDescription[] {
  const points = point ? [point] : [...EXTENSION_POINTS];
  const found = points.filter((p) => registry.has(p, name)).map((p) => registry.describe(p, name));
  if (found.length) return found;
  const names = [...new Set(points.flatMap((p) => registry.names(p)))];
  const guess = suggestKey(name, names);
  throw new UsageError(`no ${point ?? ''}${point ? ' ' : ''}plugin named "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; known: ${names.join(', ')}`, 'name');
}

export const pluginsCommand: Command = {
  summary: "every registered plugin per extension point, or one plugin's options, types, defaults, docs and dependencies",
  usage: ['lmrec plugins [--plugin PKG ...]', 'lmrec plugins [<extension point>] <name> [--plugin PKG ...]'],
  args: { 'extension point': EXTENSION_POINTS.join(', '), name: 'a plugin name, e.g. alpharec, lexical, rnn' },
  flags: { ...COMMON_FLAGS, plugin: { type: 'string', multiple: true, arg: 'PKG', help: 'also load this plugin package or module path' } },
  async run({ values, positionals, out }) {
    const { registry, plugins } = await assemble(list(values.plugin));
    if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
    if (positionals.length === 0) {
      const all = registry.list();
      if (values.json) out(JSON.stringify({ plugins, extensionPoints: all }, null, 2));
      else for (const [point, entries] of Object.entries(all)) out(`${point}\n${entries.length ? entries.map((e) => `  ${e.name.padEnd(18)} ${e.description ?? ''}  [${e.origin.package}]`).join('\n') : '  (none)'}`);
      return 0;
    }
    const [first, second] = positionals;
    let point: ExtensionPoint | undefined;
    if (second !== undefined) {
      const known = [...EXTENSION_POINTS] as string[];
      if (!known.includes(first)) throw new UsageError(`unknown extension point "${first}"${suggestKey(first, known) ? ` (did you mean "${suggestKey(first, known)}"?)` : ''}; one of ${known.join(', ')}`, 'point');
      point = first as ExtensionPoint;
    }
    const found = find(registry, point, second ?? first);
    out(values.json ? JSON.stringify(found, null, 2) : found.map(describeText).join('\n\n'));
    return 0;
  },
};
