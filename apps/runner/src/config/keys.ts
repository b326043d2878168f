import { z } from 'zod';

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType; in?: z.ZodType };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a schema can be (through wrappers and unions). */
function objects(schema: z.ZodType | undefined): z.ZodType[] {
  if (!schema) return [];
  const def = defOf(schema);
  if (def.type === 'object') return [schema];
  if (def.type === 'union') return def.options!.flatMap(objects);
  if (def.type === 'pipe') return objects(def.in);
  return def.innerType ? objects(def.innerType) : [];
}

function child(schema: z.ZodType, key: string): z.ZodType[] {
  const out: z.ZodType[] = [];
  for (const object of objects(schema)) {
    const s = defOf(object).shape![key];
    if (s) out.push(s);
  }
  let node: z.ZodType | undefined = schema;
  while (node && !['array', 'record'].includes(defOf(node).type) && defOf(node).innerType) node = defOf(node).innerType;
  if (node && defOf(node).type === 'array') out.push(defOf(node).element!);
  if (node && defOf(node).type === 'record') out.push(defOf(node).valueType!);
  return out;
}

/** Keys an object at `path` of `schema` may have (unions contribute every alternative's keys), for did-you-mean. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let nodes = [schema];
  for (const part of path) nodes = nodes.flatMap((n) => child(n, String(part)));
  return [...new Set(nodes.flatMap(objects).flatMap((o) => Object.keys(defOf(o).shape!)))];
}
