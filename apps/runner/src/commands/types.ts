import type { ParseArgsConfig } from 'node:util';
import type { TerminalProgress } from '../progress/terminal.js';

export interface CommandInput {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  progress: TerminalProgress;
}

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<number>;
}

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
} as const;
