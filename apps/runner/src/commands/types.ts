import type { ParseArgsConfig } from 'node:util';
import type { TerminalProgress } from '../progress/terminal.js';

export interface CommandInput {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  progress: TerminalProgress;
  /** Results (stdout). */
  out(text: string): void;
  /** Notes for people (stderr; silent with --quiet). */
  note(text: string): void;
}

/** One flag: what parseArgs needs plus its help line. */
export interface Flag {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string;
  /** Placeholder of its value in help, e.g. "DIR". */
  arg?: string;
  help: string;
}

export interface Command {
  summary: string;
  /** One line per form of the command. */
  usage: string[];
  flags: Record<string, Flag>;
  /** Positional arguments' help. */
  args?: Record<string, string>;
  run(input: CommandInput): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_FLAGS: Record<string, Flag> = {
  quiet: { type: 'boolean', short: 'q', help: 'no progress or notes on stderr' },
  json: { type: 'boolean', help: 'machine-readable output (and JSON-lines progress)' },
  debug: { type: 'boolean', help: 'print stack traces of errors' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
};

export function parseArgsOptions(flags: Record<string, Flag>): NonNullable<ParseArgsConfig['options']> {
  // parseArgs rejects keys that are present but undefined: copy only the ones set.
  const pick = (f: Flag) => Object.fromEntries(Object.entries({ type: f.type, short: f.short, multiple: f.multiple, default: f.default }).filter(([, v]) => v !== undefined));
  return Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, pick(f)])) as unknown as NonNullable<ParseArgsConfig['options']>;
}

export const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
