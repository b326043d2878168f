import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of a config shipped in the package's `configs/` (from src/ or dist/). */
export function shippedConfig(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '..', 'configs'), join(here, '..', '..', 'configs')]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`shipped config ${name} not found near ${here}`);
}
