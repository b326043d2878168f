import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LmrecError } from '@lmrec/core';
import { loadRedial } from './redial.js';
import type { ConversationDataset } from './types.js';

declare const __dirname: string | undefined;

function moduleDir(): string {
  // ESM (source and dist/index.js) has import.meta.url; the CJS build has __dirname.
  try {
    const url = import.meta.url;
    if (url) return dirname(fileURLToPath(url));
  } catch {
    // fall through to the CJS global
  }
  if (typeof __dirname === 'string') return __dirname;
  throw new LmrecError('E_IO', 'cannot locate the @lmrec/datasets module folder');
}

/**
 * Folder of the bundled ReDIAL sample: `data/redial-sample` at the package
 * root, found from src/conversations/ (source) or dist/ (built).
 */
export function bundledRedialDir(): string {
  let dir = moduleDir();
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'data', 'redial-sample');
    if (existsSync(join(candidate, 'movies.csv'))) return candidate;
    dir = dirname(dir);
  }
  throw new LmrecError('E_IO', `bundled ReDIAL sample not found above ${moduleDir()}`, { hint: 'the package "files" must include data/' });
}

/** The CC BY 4.0 ReDIAL sample shipped in this package (300 train / 50 valid / 150 test conversations). */
export async function loadBundledRedial(): Promise<ConversationDataset> {
  const dir = bundledRedialDir();
  return loadRedial({
    name: 'redial-sample',
    movies: join(dir, 'movies.csv'),
    train: join(dir, 'train.jsonl.gz'),
    valid: join(dir, 'valid.jsonl.gz'),
    test: join(dir, 'test.jsonl.gz'),
  });
}
