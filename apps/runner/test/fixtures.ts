import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, serializeNpy } from '@lmrec/core';

/**
 * A small planted dataset in AlphaRec's layout: users and items in 4 taste
 * groups, users interact mostly within their group; item vectors carry the
 * group (plus noise), so text-based models have something to learn from.
 */
export function writePlantedAlphaRecDir(seed = 1, nUsers = 60, nItems = 80, dim = 16): string {
  const rng = new Rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'lmrec-runner-data-'));
  mkdirSync(join(dir, 'cf_data'));
  mkdirSync(join(dir, 'item_info'));
  const groups = 4;
  const parts: Record<'train' | 'valid' | 'test', string[]> = { train: [], valid: [], test: [] };
  for (let u = 0; u < nUsers; u++) {
    const g = u % groups;
    const own = Array.from({ length: nItems }, (_, j) => j).filter((j) => j % groups === g);
    const items = [...rng.shuffle(own).slice(0, 8), rng.int(nItems)];
    const unique = [...new Set(items)];
    parts.test.push(`${u} ${unique.slice(0, 1).join(' ')}`);
    parts.valid.push(`${u} ${unique.slice(1, 2).join(' ')}`);
    parts.train.push(`${u} ${unique.slice(2).join(' ')}`);
  }
  for (const part of ['train', 'valid', 'test'] as const) writeFileSync(join(dir, 'cf_data', `${part}.txt`), `${parts[part].join('\n')}\n`);
  const vectors = new Float32Array(nItems * dim);
  for (let j = 0; j < nItems; j++) {
    for (let c = 0; c < dim; c++) vectors[j * dim + c] = (c % groups === j % groups ? 1 : 0) + 0.3 * rng.normal();
  }
  writeFileSync(join(dir, 'item_info', 'item_cf_embeds_large3_array.npy'), serializeNpy(vectors, [nItems, dim]));
  return dir;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
