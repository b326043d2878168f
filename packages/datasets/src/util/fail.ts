import { LmrecError } from '@lmrec/core';

/** Throws the located parse error every loader reports. */
export function parseError(message: string, file: string, line?: number, field?: string, hint?: string): never {
  throw new LmrecError('E_PARSE', message, { file, line, field, hint });
}

export function fileError(code: string, message: string, file: string, hint?: string): never {
  throw new LmrecError(code, message, { file, hint });
}
