import { LmrecError } from '@lmrec/core';
import type { z } from 'zod';

/** Parses plugin options with their zod schema; the first problem becomes an LmrecError naming the field. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.') || undefined;
  throw new LmrecError('E_OPTIONS', `${what}: ${issue.message}`, { field });
}
