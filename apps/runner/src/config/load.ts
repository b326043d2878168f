import { dirname, resolve } from 'node:path';
import { LmrecError } from '@lmrec/core';
import { LineCounter, parseDocument } from 'yaml';
import { issueError, type LineOf } from './issue.js';
import { keyLine, pathOf } from './lines.js';
import { assertSafeTree } from './merge.js';
import { readUtf8 } from './read.js';
import { configSchema, type RunConfig } from './schema.js';
import { STUDY_SCHEMAS } from './study.js';

export interface LoadedConfig {
  config: RunConfig;
  /** Folder of the config file: relative paths in it resolve from here. */
  baseDir: string;
  file: string;
  /** Line of a dotted key ("models.0.options.lr") in the file, for messages about nested plugin options. */
  lineOf: (dotted: string) => number | undefined;
  /** The same for a key path whose keys may hold dots (search space keys). */
  linePath?: LineOf;
}

/** Parse YAML and validate; a problem names the config key and its line. */
export function parseConfig(text: string, file = '<config>'): RunConfig {
  return parseConfigText(text, file).config;
}

function parseConfigText(text: string, file: string): { config: RunConfig; lineOf: LineOf } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    const err = doc.errors[0];
    throw new LmrecError('E_CONFIG', `not valid YAML: ${err.message.split('\n')[0]}`, { file, line: err.linePos?.[0]?.line });
  }
  const lineOf: LineOf = (path) => keyLine(doc, lineCounter, path);
  const value = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LmrecError('E_CONFIG', 'a config is a YAML mapping of keys (name, experiment, dataset, ...)', { file, line: 1 });
  }
  return { config: validateConfig(value, file, lineOf), lineOf };
}

/** Validate a config object: the top-level schema, then the experiment kind's own `study` schema. */
export function validateConfig(value: unknown, file = '<config>', lineOf?: LineOf): RunConfig {
  try {
    assertSafeTree(value);
  } catch (error) {
    if (error instanceof LmrecError) throw new LmrecError(error.code, error.detail, { file, field: error.field, line: error.field ? lineOf?.(pathOf(error.field)) : undefined });
    throw error;
  }
  const result = configSchema.safeParse(value);
  if (!result.success) throw issueError(configSchema, result.error, file, lineOf);
  const config = result.data;
  const studySchema = STUDY_SCHEMAS[config.experiment];
  const study = studySchema.safeParse(config.study);
  if (!study.success) throw issueError(studySchema, study.error, file, lineOf, ['study']);
  return { ...config, study: study.data as Record<string, unknown> };
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file);
  const text = await readUtf8(path, 'config');
  const { config, lineOf } = parseConfigText(text, path);
  return { config, baseDir: dirname(path), file: path, lineOf: (dotted) => lineOf(pathOf(dotted)), linePath: lineOf };
}

export { withKey } from './merge.js';
