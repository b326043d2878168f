/** Where in an input a problem was found; every field optional. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

export interface LmrecErrorOptions extends ErrorLocation {
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

/**
 * The one error type for user-facing failures. `code` is stable and
 * machine-readable (e.g. `E_PARSE`, `E_PLUGIN_UNKNOWN`); the message names
 * the file, line and field when there is one, so the user can go and fix it.
 */
export class LmrecError extends Error {
  readonly code: string;
  /** The message without location and hint (to re-wrap an error without repeating them). */
  readonly detail: string;
  readonly hint?: string;
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;

  constructor(code: string, message: string, options: LmrecErrorOptions = {}) {
    super(formatMessage(message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LmrecError';
    this.code = code;
    this.detail = message;
    this.hint = options.hint;
    this.file = options.file;
    this.line = options.line;
    this.field = options.field;
  }
}

function formatMessage(message: string, { file, line, field, hint }: LmrecErrorOptions): string {
  const where = [file, line === undefined ? undefined : `line ${line}`, field === undefined ? undefined : `field "${field}"`]
    .filter((part) => part !== undefined)
    .join(', ');
  return `${where ? `${where}: ` : ''}${message}${hint ? ` (hint: ${hint})` : ''}`;
}

export function isLmrecError(error: unknown, code?: string): error is LmrecError {
  return error instanceof LmrecError && (code === undefined || error.code === code);
}
