import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Rng, isLmrecError } from '@lmrec/core';
import { bundledRedialDir, loadRedial, type ConversationDataset } from '../src/index.js';
import { tempDir } from './helpers.js';

/**
 * ReDIAL lines corrupted at random positions outside JSON string values
 * (text inside a string is free text) and never digit-for-digit or at a
 * line end: each case must be rejected with a located error or load the
 * same conversations.
 */
const BYTES = [0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x22, 0x0a, 0x20, 0x2d, 0x2e, 0x65, 0x78, 0xff, 0xc3, 0x00, 0x5c];
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

function stringMask(bytes: Buffer): Uint8Array {
  const mask = new Uint8Array(bytes.length + 1);
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      mask[i] = 1;
      if (b === 0x5c) {
        mask[++i] = 1;
      } else if (b === 0x22) {
        inString = false;
        mask[i] = 0;
      }
    } else if (b === 0x22) inString = true;
  }
  return mask;
}

const canonical = (ds: ConversationDataset) => JSON.stringify({ items: ds.items, conversations: ds.conversations, split: ds.split });

describe('randomised corruption (ReDIAL)', () => {
  it('every corruption is rejected with file and line, or loads identically', async () => {
    const dir = tempDir();
    const lines = gunzipSync(readFileSync(join(bundledRedialDir(), 'test.jsonl.gz'))).toString('utf8').split('\n').slice(0, 6);
    const original = Buffer.from(lines.join('\n') + '\n');
    const movies = join(bundledRedialDir(), 'movies.csv');
    const file = join(dir, 'conv.jsonl');
    writeFileSync(file, original);
    const reference = canonical(await loadRedial({ movies, test: file }));
    const mask = stringMask(original);
    const rng = new Rng(7);
    let cases = 0;
    let rejected = 0;
    while (cases < 120) {
      const pos = rng.int(original.length);
      const byte = BYTES[rng.int(BYTES.length)];
      if (mask[pos] || (pos > 0 && mask[pos - 1] && original[pos - 1] !== 0x22)) continue;
      let edited: Buffer;
      const op = rng.int(3);
      if (op === 0) edited = Buffer.concat([original.subarray(0, pos), Buffer.from([byte]), original.subarray(pos)]);
      else if (op === 1) {
        if (isDigit(original[pos])) continue;
        edited = Buffer.concat([original.subarray(0, pos), original.subarray(pos + 1)]);
      } else {
        if (original[pos] === byte) continue;
        edited = Buffer.from(original);
        edited[pos] = byte;
      }
      cases++;
      writeFileSync(file, edited);
      try {
        const ds = await loadRedial({ movies, test: file });
        expect(canonical(ds), `op ${op} byte 0x${byte.toString(16)} at ${pos}`).toBe(reference);
      } catch (error) {
        if (!isLmrecError(error)) throw error;
        expect(error.file, error.message).toBe(file);
        if (error.code !== 'E_EMPTY') expect(error.line, error.message).toBeGreaterThanOrEqual(1);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(40);
  });
});
