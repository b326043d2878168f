import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { isLmrecError } from '@lmrec/core';
import { bundledRedialDir, loadRedial, type ConversationDataset, type RedialOptions } from '../src/index.js';
import { tempDir } from './helpers.js';

/**
 * Property: ReDIAL conversations (JSON lines, plain and gzipped) and the
 * movies csv, damaged by one random edit, either load to exactly the
 * original dataset or throw an LmrecError naming the damaged file (and a
 * line, for plain text). Under both the default and the official options.
 *
 * Not generated, since they make another well-formed file: edits inside a
 * JSON string or a title (free text); digits changed, inserted or deleted;
 * cuts of the JSON lines at a line end or just before a newline (ReDIAL's
 * own extra files end without one); with the whole-file catalogue, cuts of
 * the movies csv at a line end (a shorter catalogue; generated with the
 * mentioned-movies catalogue, which it must not change). The gzip file gets
 * every edit: its CRC and length trailer must catch them all.
 */
const BYTES = [0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x22, 0x0a, 0x0d, 0x20, 0x2d, 0x2e, 0x65, 0x78, 0xff, 0xc3, 0x00, 0x5c, 0x40];
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

/** 1 for bytes inside a JSON string (quotes excluded): free text. */
function jsonStringMask(bytes: Buffer): Uint8Array {
  const mask = new Uint8Array(bytes.length + 1);
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x22) inString = false;
      else {
        mask[i] = 1;
        if (b === 0x5c) mask[++i] = 1;
      }
    } else if (b === 0x22) inString = true;
  }
  return mask;
}

/** 1 for the title field of each csv data line (between the first and the last comma). */
function titleMask(bytes: Buffer): Uint8Array {
  const mask = new Uint8Array(bytes.length + 1);
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    if (start > 0) {
      const line = bytes.subarray(start, i);
      const a = line.indexOf(0x2c);
      const b = line.lastIndexOf(0x2c);
      for (let k = a + 1; k < b; k++) mask[start + k] = 1;
    }
    start = i + 1;
  }
  return mask;
}

type Op = 'truncate' | 'cutAtLine' | 'replace' | 'insert' | 'delete';

function edit(bytes: Buffer, mask: Uint8Array | undefined, op: Op, pos: number, byte: number, lineCutsOk: boolean): Buffer | undefined {
  const n = bytes.length;
  const p = pos % (n + 1);
  if (op === 'cutAtLine') {
    // Drops the lines from one line start on: only meaningful (and only allowed) where line cuts are generated.
    if (!lineCutsOk) return undefined;
    const starts = [0, ...[...bytes.keys()].filter((i) => bytes[i] === 0x0a && i + 1 < n).map((i) => i + 1)];
    return bytes.subarray(0, starts[pos % starts.length]);
  }
  if (mask && (mask[p] || (op === 'insert' && p > 0 && mask[p - 1]))) return undefined;
  if (op === 'truncate') {
    if (p === n) return undefined;
    if (mask && !lineCutsOk && (p === 0 || bytes[p - 1] === 0x0a || bytes[p] === 0x0a || (bytes[p] === 0x0d && bytes[p + 1] === 0x0a))) return undefined;
    return bytes.subarray(0, p);
  }
  if (op === 'insert') {
    if (mask && isDigit(byte)) return undefined;
    return Buffer.concat([bytes.subarray(0, p), Buffer.from([byte]), bytes.subarray(p)]);
  }
  if (p === n) return undefined;
  if (op === 'delete') {
    if (mask && isDigit(bytes[p])) return undefined;
    return Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 1)]);
  }
  if (bytes[p] === byte || (mask && isDigit(bytes[p]) && isDigit(byte))) return undefined;
  const c = Buffer.from(bytes);
  c[p] = byte;
  return c;
}

const canonical = (ds: ConversationDataset) => JSON.stringify({ items: ds.items, conversations: ds.conversations, split: ds.split });

describe('ReDIAL layout: random damage is rejected with its file, or changes nothing', () => {
  const dir = tempDir();
  const sample = bundledRedialDir();
  const lines = gunzipSync(readFileSync(join(sample, 'test.jsonl.gz'))).toString('utf8').split('\n').slice(0, 5);
  const jsonl = Buffer.from(lines.join('\n') + '\n');
  const gz = gzipSync(jsonl);
  // A small catalogue: the mentioned movies plus 15 others, CRLF as the release.
  const mentioned = new Set([...jsonl.toString('utf8').matchAll(/@(\d+)/g)].map((m) => m[1]));
  const movieLines = readFileSync(join(sample, 'movies.csv'), 'utf8').split('\r\n');
  let others = 0;
  const kept = movieLines.slice(1).filter((l) => l !== '' && (mentioned.has(l.split(',')[0]) || others++ < 15));
  const movies = Buffer.from([movieLines[0], ...kept].join('\r\n') + '\r\n');
  const files = { conv: join(dir, 'conv.jsonl'), gz: join(dir, 'conv.jsonl.gz'), movies: join(dir, 'movies.csv') };
  const masks = { conv: jsonStringMask(jsonl), gz: undefined, movies: titleMask(movies) };
  const originals = { conv: jsonl, gz, movies };

  it('holds for 400 random edits under default and official options', async () => {
    const references = new Map<string, string>();
    const load = (official: boolean, gzipped: boolean) => {
      const options: RedialOptions = { movies: files.movies, test: gzipped ? files.gz : files.conv, ...(official ? { turns: 'message', catalogue: 'mentioned' } : {}) };
      return loadRedial(options);
    };
    for (const [k, v] of Object.entries(originals)) writeFileSync(files[k as keyof typeof files], v);
    for (const official of [false, true]) for (const gzipped of [false, true]) references.set(`${official}${gzipped}`, canonical(await load(official, gzipped)));
    expect(references.get('falsefalse')).toBe(references.get('falsetrue'));
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('conv', 'gz', 'movies') as fc.Arbitrary<keyof typeof files>,
        fc.constantFrom('truncate', 'cutAtLine', 'replace', 'insert', 'delete') as fc.Arbitrary<Op>,
        fc.nat(),
        fc.constantFrom(...BYTES),
        fc.boolean(),
        async (target, op, pos, byte, official) => {
          const edited = edit(originals[target], masks[target], op, pos, byte, target === 'movies' && official);
          fc.pre(edited !== undefined);
          const gzipped = target === 'gz';
          for (const [k, v] of Object.entries(originals)) writeFileSync(files[k as keyof typeof files], v);
          writeFileSync(files[target], edited!);
          try {
            const ds = await load(official, gzipped);
            expect(canonical(ds), `${target}: ${op} 0x${byte.toString(16)} at ${pos} changed the data silently`).toBe(references.get(`${official}${gzipped}`));
          } catch (error) {
            if (!isLmrecError(error)) throw error;
            // A catalogue that lost a mentioned movie is reported where the mention is, naming the catalogue.
            if (error.file !== files[target]) expect(error.message, error.message).toContain(`is not in ${files[target]}`);
            else if (!gzipped && error.code !== 'E_EMPTY') expect(error.line, error.message).toBeGreaterThanOrEqual(1);
            rejected++;
          }
        },
      ),
      { numRuns: 400, seed: 19, maxSkipsPerRun: 1000 },
    );
    expect(rejected).toBeGreaterThan(200);
  });
});
