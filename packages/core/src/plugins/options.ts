import { z } from 'zod';
import { LmrecError } from '../errors.js';
import { suggestKey } from './suggest.js';
import { defOf } from './zod-def.js';

/** Where an options object sits, for error messages: e.g. `models[0].options` of plugin "mf". */
export interface OptionsSite {
  /** Dotted path of the options object in the config ("models.0.options"); empty for top level. */
  field?: string;
  /** Who reads them, e.g. 'Recommender "mf"'. */
  owner?: string;
  file?: string;
  /** Line of a dotted config key (the runner maps keys to YAML lines). */
  lineOf?: (field: string) => number | undefined;
}

/** Parse plugin options with their schema; the first problem becomes an LmrecError naming the key (with a did-you-mean). */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, site: OptionsSite = {}): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw optionsError(schema, result.error.issues[0], site);
}

function optionsError(schema: z.ZodType, issue: z.core.$ZodIssue, site: OptionsSite): LmrecError {
  const path = issue.path.map(String);
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const keyPath = unknown === undefined ? path : [...path, unknown];
  const field = [site.field, ...keyPath].filter((p) => p !== undefined && p !== '').join('.');
  const owner = site.owner ? ` of ${site.owner}` : '';
  let message: string;
  let hint: string | undefined;
  if (unknown !== undefined) {
    const known = knownKeys(schema, path);
    const guess = suggestKey(unknown, known);
    message = `unknown option${owner}${guess ? ` (did you mean "${guess}"?)` : ''}`;
    hint = known.length ? `options: ${known.join(', ')}` : 'this plugin takes no options';
  } else {
    message = `${issue.message}${owner ? ` (option${owner})` : ''}`;
  }
  return new LmrecError('E_CONFIG', message, { field: field || undefined, file: site.file, line: site.lineOf?.(field), hint });
}

/** Keys of the object schema at `path` inside `schema` (for did-you-mean). */
export function knownKeys(schema: z.ZodType, path: readonly string[] = []): string[] {
  let node: z.ZodType | undefined = schema;
  for (const part of path) node = node && childSchema(node, part);
  const object = node && unwrapObject(node);
  return object ? Object.keys(defOf(object).shape!) : [];
}

function childSchema(schema: z.ZodType, key: string): z.ZodType | undefined {
  const object = unwrapObject(schema);
  if (object) return defOf(object).shape![key];
  const def = defOf(schema);
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}

function unwrapObject(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === 'object') return schema;
  if (def.innerType) return unwrapObject(def.innerType);
  if (def.type === 'pipe') return unwrapObject(def.in!);
  return undefined;
}
