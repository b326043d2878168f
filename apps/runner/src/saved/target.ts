import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isLmrecError, LmrecError } from '@lmrec/core';
import { describeTarget, parseTarget, VectorStore, type VectorTarget } from '@lmrec/vectors';
import { UsageError } from '../cli/errors.js';

/** A `--to` / `--index` value: a malformed one (a literal connection string, a bad variable name) is a usage error. */
export function targetArg(value: unknown, flag: string): VectorTarget {
  if (typeof value !== 'string') throw new UsageError(`--${flag} needs a target: a folder (PGlite), or postgres (the server in $LMREC_PG_URL), or env:VAR`, flag);
  try {
    return parseTarget(value);
  } catch (error) {
    if (isLmrecError(error)) throw new UsageError(`--${flag}: ${error.detail}${error.hint ? ` (${error.hint})` : ''}`, flag);
    throw error;
  }
}

/** PGlite writes a PostgreSQL data folder: one holding PG_VERSION. */
const isDatabaseFolder = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/**
 * Opens a target to write (`export`) or to read (`serve --index`). A folder
 * to write must be empty, new, or a database already; one to read must be a
 * database: opening a missing folder would create an empty one.
 */
export async function openTarget(target: VectorTarget, mode: 'write' | 'read'): Promise<VectorStore> {
  if (target.kind === 'pglite') {
    const exists = existsSync(target.dir);
    if (exists && !statSync(target.dir).isDirectory()) throw new LmrecError('E_ARGUMENT', `${target.dir} is a file, not a database folder`, { field: 'target' });
    if (mode === 'read' && !(exists && isDatabaseFolder(target.dir))) {
      throw new LmrecError('E_ARGUMENT', `${target.dir} is not a vector database folder`, { field: 'target', hint: 'write one with lmrec export <run-dir> --to <folder>' });
    }
    if (mode === 'write' && exists && !isDatabaseFolder(target.dir) && readdirSync(target.dir).length > 0) {
      throw new LmrecError('E_ARGUMENT', `${target.dir} is a non-empty folder that is not a vector database; refusing to write into it`, { field: 'target', hint: 'give a new or empty folder' });
    }
  }
  return VectorStore.open(target);
}

export { describeTarget };
