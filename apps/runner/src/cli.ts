#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isLmrecError } from '@lmrec/core';
import { COMMANDS, usage } from './commands/index.js';
import { TerminalProgress, type ProgressMode } from './progress/terminal.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return command ? 0 : 1;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    process.stderr.write(`lmrec: unknown command "${command}"\n\n${usage()}`);
    return 2;
  }
  const { values, positionals } = parseArgs({ args: rest, options: handler.options, allowPositionals: true, strict: true });
  const mode: ProgressMode = values.quiet ? 'quiet' : values.json ? 'json' : process.stderr.isTTY ? 'bars' : 'lines';
  return handler.run({ values: values as Record<string, string | boolean | undefined>, positionals, progress: new TerminalProgress(mode) });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isLmrecError(error)) {
      process.stderr.write(`lmrec: ${error.message}\n`);
      process.exitCode = 1;
    } else if (error instanceof TypeError && /ERR_PARSE_ARGS/.test(String((error as { code?: string }).code))) {
      process.stderr.write(`lmrec: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`lmrec: unexpected error\n${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
