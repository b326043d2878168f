import { mapPathOptions } from '@lmrec/core';
import type { z } from 'zod';

export { mapPathOptions };

/** Every path option's value in `value`. */
export function pathsIn(schema: z.ZodType, value: unknown): string[] {
  const out: string[] = [];
  mapPathOptions(schema, value, (p) => out.push(p));
  return out;
}
