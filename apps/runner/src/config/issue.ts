import { LmrecError, suggestKey } from '@lmrec/core';
import type { z } from 'zod';
import { keysAt } from './keys.js';

export type LineOf = (path: readonly (string | number)[]) => number | undefined;

/** The first problem zod found, as an LmrecError naming the key (its full dotted path), its line and a likely intended key. */
export function issueError(schema: z.ZodType, error: z.ZodError, file: string, lineOf?: LineOf, prefix: (string | number)[] = []): LmrecError {
  const issue = error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const keyPath = [...prefix, ...(unknownKey === undefined ? path : [...path, unknownKey])];
  const key = keyPath.join('.') || '(root)';
  let message: string;
  if (unknownKey !== undefined) {
    const known = keysAt(schema, path);
    const guess = suggestKey(unknownKey, known);
    message = `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (known here: ${known.join(', ')})` : ''}`;
  } else {
    message = `${key}: ${issue.message}`;
  }
  return new LmrecError('E_CONFIG', message, { file, field: key, line: lineOf?.(keyPath) });
}
