import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LmrecError } from '@lmrec/core';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { configSchema, type RunConfig } from './schema.js';

export interface LoadedConfig {
  config: RunConfig;
  /** Folder of the config file: relative paths in it resolve from here. */
  baseDir: string;
  file: string;
}

/** Parse YAML and validate; a problem names the config key and its line. */
export function parseConfig(text: string, file = '<config>'): RunConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    const err = doc.errors[0];
    throw new LmrecError('E_CONFIG', `not valid YAML: ${err.message.split('\n')[0]}`, { file, line: err.linePos?.[0]?.line });
  }
  return validateConfig(doc.toJS(), file, (path) => keyLine(doc, lineCounter, path));
}

export function validateConfig(value: unknown, file = '<config>', lineFor?: (path: (string | number)[]) => number | undefined): RunConfig {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const unknownKey = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined;
  const keyPath = unknownKey === undefined ? path : [...path, unknownKey];
  const key = keyPath.join('.') || '(root)';
  const message = unknownKey === undefined ? `${key}: ${issue.message}` : `unknown key "${key}"${suggest(unknownKey)}`;
  throw new LmrecError('E_CONFIG', message, { file, field: key, line: lineFor?.(keyPath) });
}

const KNOWN_KEYS = Object.keys(configSchema.shape).concat([
  'loader', 'options', 'filter', 'user', 'item', 'split', 'kind', 'ratios', 'label', 'epochs', 'evalEvery', 'patience', 'batchSize',
  'checkpointEvery', 'ks', 'metric', 'excludeMentioned', 'baseline', 'method', 'trials', 'space', 'validFrom', 'testFrom',
]);

function suggest(bad: string): string {
  let best: string | undefined;
  let bestDist = 3;
  for (const key of KNOWN_KEYS) {
    const d = editDistance(bad.toLowerCase(), key.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = key;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** Line of the deepest existing key on the path (1-based). */
function keyLine(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === path[n - 1]);
      const offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
      if (offset !== undefined) return lines.linePos(offset).line;
    } else {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    throw new LmrecError('E_CONFIG', `cannot read config: ${(error as Error).message}`, { file: path });
  }
  return { config: parseConfig(text, path), baseDir: dirname(path), file: path };
}

/** Set a dotted key ("models.0.options.lr") on a deep copy of a plain config object. */
export function withKey<T>(config: T, dotted: string, value: unknown): T {
  const copy = structuredClone(config) as any;
  const parts = dotted.split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined) node[part] = {};
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
  return copy;
}
