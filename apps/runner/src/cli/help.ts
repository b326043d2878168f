import type { Command } from '../commands/types.js';

/** `lmrec <command> --help`: what it does, its forms, arguments and every flag. */
export function commandHelp(name: string, c: Command): string {
  const lines = [`lmrec ${name}: ${c.summary}`, '', 'Usage:', ...c.usage.map((u) => `  ${u}`)];
  if (c.args && Object.keys(c.args).length) {
    lines.push('', 'Arguments:');
    const w = Math.max(...Object.keys(c.args).map((a) => a.length));
    for (const [arg, help] of Object.entries(c.args)) lines.push(`  ${arg.padEnd(w)}  ${help}`);
  }
  const flags = Object.entries(c.flags).map(([flag, f]) => [`${f.short ? `-${f.short}, ` : '    '}--${flag}${f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''}`, `${f.help}${f.default !== undefined ? ` (default ${f.default})` : ''}${f.multiple ? ' (repeatable)' : ''}`]);
  const w = Math.max(...flags.map(([l]) => l.length));
  lines.push('', 'Options:', ...flags.map(([l, h]) => `  ${l.padEnd(w)}  ${h}`), '');
  return lines.join('\n');
}

/** The short usage block printed under a usage error. */
export function usageBlock(name: string, c: Command): string {
  return `usage: ${c.usage.join('\n       ')}\n(lmrec ${name} --help lists every option)\n`;
}

export function overview(commands: Record<string, Command>): string {
  const w = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(w)}  ${c.summary}`);
  return [
    'lmrec: language-model-based recommendation experiments',
    '',
    'Usage: lmrec <command> [options]    (lmrec <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --quiet, --json, --debug and --help.',
    'Exit codes: 0 ok, 1 a config, data or run error, 2 a usage error, 3 an internal error (a bug).',
    '',
  ].join('\n');
}
