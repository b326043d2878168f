import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { defOf } from './zod-def.js';

/** Metadata key that marks a string option as a file or folder path. */
const PATH_META = 'lmrecPath';

/**
 * A string option that names a file or folder. The runner resolves it against
 * the config file's folder (and stores it resolved), so no rule guesses paths
 * from option names.
 */
export function pathOption(description: string): z.ZodString {
  return z.string().min(1).meta({ [PATH_META]: true }).describe(description);
}

function isPathSchema(schema: z.ZodType): boolean {
  return z.globalRegistry.get(schema)?.[PATH_META] === true;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `value` (already parsed by `schema`) whose path options are
 * absolute, resolved from `baseDir`.
 */
export function resolvePathOptions<T>(schema: z.ZodType, value: T, baseDir: string): T {
  return mapPathOptions(schema, value, (path) => (isAbsolute(path) ? path : resolve(baseDir, path))) as T;
}

/**
 * A copy of `value` (options of `schema`) with every path option
 * (`pathOption`) replaced by `map(path, where)`: the schema, not the option's
 * name, says what is a path. Walks objects, arrays, records, tuples, unions
 * and the optional/default/nullable wrappers.
 */
export function mapPathOptions(schema: z.ZodType, value: unknown, map: (path: string, where: string[]) => unknown, where: string[] = []): unknown {
  if (value === undefined || value === null) return value;
  if (isPathSchema(schema) && typeof value === 'string') return map(value, where);
  const def = defOf(schema);
  const child = (s: z.ZodType | undefined, v: unknown, key: string) => (s ? mapPathOptions(s, v, map, [...where, key]) : v);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return mapPathOptions(def.innerType!, value, map, where);
    case 'pipe':
      return mapPathOptions(def.in!, value, map, where);
    case 'array':
      return Array.isArray(value) ? value.map((v, i) => child(def.element, v, String(i))) : value;
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => child(def.items![i], v, String(i))) : value;
    case 'record':
      return isPlain(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, child(def.valueType, v, k)])) : value;
    case 'object':
      return isPlain(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, child(def.shape![k], v, k)])) : value;
    case 'union': {
      const match = def.options!.find((option) => option.safeParse(value).success);
      return match ? mapPathOptions(match, value, map, where) : value;
    }
    default:
      return value;
  }
}
