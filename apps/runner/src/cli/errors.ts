/**
 * Exit codes of `lmrec`:
 * 0 success; 1 an LmrecError (a config, data or run problem, named with its
 * file, line or field); 2 a usage error (unknown command or flag, a missing
 * or malformed argument, an unknown user, item, model or `--on` value);
 * 3 an internal error (a bug: please report it; `--debug` prints the stack).
 */
export const EXIT = { ok: 0, error: 1, usage: 2, internal: 3 } as const;

/** A problem with the command line itself: printed as one line plus the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function isUsageError(error: unknown): error is UsageError {
  return error instanceof UsageError || (error instanceof TypeError && /^ERR_PARSE_ARGS/.test(String((error as { code?: string }).code)));
}

/** One line: messages never span lines (a stack trace only with --debug). */
export const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
