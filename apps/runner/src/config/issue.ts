import { LmrecError, suggestKey } from '@lmrec/core';
import type { z } from 'zod';
import { keysAt } from './keys.js';

export type LineOf = (path: readonly (string | number)[]) => number | undefined;

/** The first problem zod found, as an LmrecError naming the key (its full dotted path), its line and a likely intended key. */
/**
 * Inside a union ("a name, or { name, options }"), the alternative the value
 * was meant as: the one whose first problem is deepest (its type matched),
 * so the message names the inner key instead of "invalid input".
 */
function specific(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  const depth = (list: z.core.$ZodIssue[]) => (list[0]?.code === 'invalid_type' && list[0].path.length === 0 ? -1 : (list[0]?.path.length ?? -1) + (list[0]?.code === 'unrecognized_keys' ? 1 : 0));
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
  if (!best?.length || depth(best) < 0) return issue;
  return specific({ ...best[0], path: [...issue.path, ...best[0].path] } as z.core.$ZodIssue);
}

export function issueError(schema: z.ZodType, error: z.ZodError, file: string, lineOf?: LineOf, prefix: (string | number)[] = []): LmrecError {
  // An unknown key first: a misspelt key also leaves the key it was meant as missing, and the typo is the news.
  const issue = specific(error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]);
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const keyPath = [...prefix, ...(unknownKey === undefined ? path : [...path, unknownKey])];
  const key = keyPath.join('.') || '(root)';
  let message: string;
  if (unknownKey !== undefined) {
    const known = keysAt(schema, path);
    const guess = suggestKey(unknownKey, known);
    message = `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (known here: ${known.join(', ')})` : ''}`;
  } else if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
    message = `"${key}" is missing (a ${issue.expected} is needed here)`;
  } else {
    message = `${key}: ${issue.message}`;
  }
  return new LmrecError('E_CONFIG', message, { file, field: key, line: lineOf?.(keyPath) });
}
