import { parseArgs } from 'node:util';
import { isLmrecError, suggestKey } from '@lmrec/core';
import { COMMANDS } from '../commands/index.js';
import { parseArgsOptions, type Command } from '../commands/types.js';
import { TerminalProgress, type ProgressMode } from '../progress/terminal.js';
import { LMREC_VERSION } from '../version.js';
import { EXIT, isUsageError, oneLine, UsageError } from './errors.js';
import { commandHelp, overview, usageBlock } from './help.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** The whole CLI as a function of its arguments: writes to `io`, returns the exit code, never throws. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  const write = (stream: NodeJS.WritableStream) => (text: string) => void stream.write(text.endsWith('\n') ? text : `${text}\n`);
  if (name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    write(io.stdout)(target ? commandHelp(rest[0], target) : overview(COMMANDS));
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    write(io.stdout)(LMREC_VERSION);
    return EXIT.ok;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    const guess = name === undefined ? undefined : suggestKey(name, Object.keys(COMMANDS));
    write(io.stderr)(`lmrec: ${name === undefined ? 'no command given' : `unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`}\n\n${overview(COMMANDS)}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    write(io.stdout)(commandHelp(name!, command));
    return EXIT.ok;
  }
  try {
    return await runCommand(command, rest, io);
  } catch (error) {
    return report(error, name!, command, io, debug);
  }
}

async function runCommand(command: Command, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: parseArgsOptions(command.flags), allowPositionals: true, strict: true });
  const mode: ProgressMode = values.quiet ? 'quiet' : values.json ? 'json' : io.stderr.isTTY ? 'bars' : 'lines';
  const progress = new TerminalProgress(mode, io.stderr);
  return command.run({
    values: values as Record<string, string | boolean | string[] | undefined>,
    positionals,
    progress,
    out: (text) => void io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => (mode === 'quiet' ? undefined : progress.log(text)),
  });
}

/** parseArgs' messages, said shortly: "unknown option --usr (did you mean --user?)". */
function usageMessage(error: Error, command: Command): string {
  const code = (error as { code?: string }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const guess = suggestKey(option.replace(/^-+/, ''), Object.keys(command.flags));
    return `unknown option ${option}${guess ? ` (did you mean --${guess}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (/does not take an argument/.test(error.message)) return `${option} takes no value`;
    if (/ambiguous/.test(error.message)) return `${option} needs a value (one that starts with "-" is written ${option}=-VALUE)`;
    return `${option} needs a value`;
  }
  return error.message;
}

function report(error: unknown, name: string, command: Command, io: CliIo, debug: boolean): number {
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}\n` : '';
  if (isUsageError(error)) {
    io.stderr.write(`lmrec ${name}: ${oneLine(usageMessage(error as Error, command))}\n${usageBlock(name, command)}${stack}`);
    return EXIT.usage;
  }
  if (isLmrecError(error)) {
    io.stderr.write(`lmrec: ${oneLine(error.message)}\n${stack}`);
    return EXIT.error;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`lmrec: internal error: ${oneLine(message)}${debug ? '' : ' (run again with --debug for the stack trace, and please report it)'}\n${stack}`);
  return EXIT.internal;
}

export { UsageError };
