import { z } from 'zod';

/** One documented option of a plugin, as `lmrec plugins <name>` prints it. */
export interface OptionDoc {
  key: string;
  /** JSON-schema style type: "number", "integer", "string", "boolean", "array", "object", an enum or a union. */
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  /** A file or folder, resolved against the config's folder. */
  path?: boolean;
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  lmrecPath?: boolean;
};

/** The top-level options of an object schema with their types, defaults and docs. */
export function describeOptions(schema: z.ZodType): OptionDoc[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([key, prop]) => ({
    key,
    type: typeName(prop),
    required: required.has(key) && prop.default === undefined,
    ...(prop.default === undefined ? {} : { default: prop.default }),
    ...(prop.description ? { description: prop.description } : {}),
    ...(prop.lmrecPath || prop.items?.lmrecPath ? { path: true } : {}),
  }));
}

function typeName(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeName).join(' | ');
  if (s.type === 'array') return `${s.items ? typeName(s.items) : 'unknown'}[]`;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.type ?? 'unknown';
}
