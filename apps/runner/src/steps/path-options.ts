import { z } from 'zod';

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType; items?: z.ZodType[]; in?: z.ZodType };

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Core's `pathOption()` marks its schemas with this metadata key. */
const isPath = (schema: z.ZodType) => z.globalRegistry.get(schema)?.lmrecPath === true;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `value` (options of `schema`) with every file or folder option
 * (core's `pathOption`) replaced by `map(path, where)`: the schema, not the
 * option's name, says what is a path.
 */
export function mapPathOptions(schema: z.ZodType, value: unknown, map: (path: string, where: string[]) => unknown, where: string[] = []): unknown {
  if (value === undefined || value === null) return value;
  if (isPath(schema) && typeof value === 'string') return map(value, where);
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

/** Every path option's value in `value`. */
export function pathsIn(schema: z.ZodType, value: unknown): string[] {
  const out: string[] = [];
  mapPathOptions(schema, value, (p) => out.push(p));
  return out;
}
