import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { parseSafetensors, serializeSafetensors } from '@lmrec/core';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
