/** What went wrong with a bundle; the page shows `message` and `hint`. */
export type BundleErrorCode =
  | 'E_BUNDLE_TRUNCATED'
  | 'E_BUNDLE_FORMAT'
  | 'E_BUNDLE_VERSION'
  | 'E_BUNDLE_MODEL'
  | 'E_BUNDLE_CHECKSUM'
  | 'E_BUNDLE_FETCH'
  | 'E_ARGUMENT'
  | 'E_RANGE'
  | 'E_INTENTION';

/**
 * The typed error of this package, shaped like core's LmrecError (code,
 * message, field, hint) but free of Node built-ins so it runs in a page.
 */
export class BundleError extends Error {
  readonly code: BundleErrorCode;
  readonly field?: string;
  readonly hint?: string;

  constructor(code: BundleErrorCode, message: string, details: { field?: string; hint?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BundleError';
    this.code = code;
    this.field = details.field;
    this.hint = details.hint;
  }
}
