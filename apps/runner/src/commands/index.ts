import { dataCommand } from './data.js';
import { demoCommand } from './demo.js';
import { encodeCommand } from './encode.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { pluginsCommand } from './plugins.js';
import { bundleCommand } from './bundle.js';
import { recommendCommand } from './recommend.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import type { Command } from './types.js';

export const COMMANDS: Record<string, Command> = {
  run: runCommand,
  demo: demoCommand,
  data: dataCommand,
  encode: encodeCommand,
  eval: evalCommand,
  recommend: recommendCommand,
  export: exportCommand,
  serve: serveCommand,
  bundle: bundleCommand,
  plugins: pluginsCommand,
};
