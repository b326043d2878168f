import { dataCommand } from './data.js';
import { demoCommand } from './demo.js';
import { encodeCommand } from './encode.js';
import { evalCommand } from './eval.js';
import { pluginsCommand } from './plugins.js';
import { recommendCommand } from './recommend.js';
import { runCommand } from './run.js';
import type { Command } from './types.js';

export const COMMANDS: Record<string, Command> = {
  run: runCommand,
  demo: demoCommand,
  data: dataCommand,
  encode: encodeCommand,
  eval: evalCommand,
  recommend: recommendCommand,
  plugins: pluginsCommand,
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n             ${c.usage}`);
  return `lmrec: language-model-based recommendation experiments\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --quiet (no progress) and --json (machine-readable output).\n`;
}
