import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { Rng, isLmrecError, serializeNpy } from '@lmrec/core';
import { loadAlphaRecDir, type AlphaRecDir } from '../src/index.js';
import { tempDir } from './helpers.js';

/**
 * Property: a valid AlphaRec-layout folder, damaged by one random edit,
 * either loads to exactly the original split or throws an LmrecError naming
 * one of its files (and a line, for the text files).
 *
 * Edits that only re-tokenise digits make another well-formed file and are
 * not generated: a digit changed, inserted or deleted; a digit replaced by a
 * space or newline (one id becomes two) or a separator by a digit (two ids
 * become one); a space or newline inserted or deleted between two digits.
 * A valid/test file cut exactly at a line end (or dropped line) reads as a
 * file with fewer users; no rule can tell it from a real one. Train cuts at
 * a line end are generated: every user here has valid and test lines, so
 * the lost users are caught there.
 */
const FOREIGN = [0x09, 0x0d, 0x2c, 0x2d, 0x2b, 0x2e, 0x78, 0x65, 0x3a, 0xff, 0x80, 0xc3, 0x00, 0x22];
const SEP = [0x20, 0x0a];
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
const isSep = (b: number | undefined) => b === 0x20 || b === 0x0a;

interface Fixture {
  files: Record<string, Buffer>;
  npy: boolean;
}

/** Random valid data: every user has train, valid and test items; items contiguous (or an npy covering them). */
function fixture(seed: number, nUsers: number, nItems: number, npy: boolean): Fixture {
  const rng = new Rng(seed);
  const rows: Record<'train' | 'valid' | 'test', number[][]> = { train: [], valid: [], test: [] };
  for (let u = 0; u < nUsers; u++) {
    const items = rng.shuffle(Array.from({ length: nItems }, (_, i) => i)).slice(0, 3 + rng.int(nItems - 2));
    rows.test.push(items.slice(0, 1));
    rows.valid.push(items.slice(1, 2));
    rows.train.push(items.slice(2));
  }
  const used = [...new Set(Object.values(rows).flat(2))].sort((a, b) => a - b);
  const dense = new Map(used.map((item, k) => [item, k]));
  const files: Record<string, Buffer> = {};
  for (const part of ['train', 'valid', 'test'] as const) {
    const order = part === 'train' ? Array.from({ length: nUsers }, (_, u) => u) : rng.shuffle(Array.from({ length: nUsers }, (_, u) => u));
    files[`cf_data/${part}.txt`] = Buffer.from(order.map((u) => [u, ...rows[part][u].map((i) => (npy ? i : dense.get(i)!))].join(' ') + '\n').join(''));
  }
  if (npy) files['item_info/e.npy'] = Buffer.from(serializeNpy(Float32Array.from({ length: nItems * 2 }, (_, k) => k / 7), [nItems, 2]));
  return { files, npy };
}

type Edit = { file: string; op: 'truncate' | 'replace' | 'insert' | 'delete' | 'dropLine' | 'dupLine' | 'swapLines'; pos: number; byte: number };

/** The edited bytes, or undefined when the edit is of an excluded kind. */
function apply(bytes: Buffer, edit: Edit): Buffer | undefined {
  const n = bytes.length;
  const p = edit.pos % (n + 1);
  const b = edit.byte;
  const text = edit.file.endsWith('.txt');
  const lineEnd = p === 0 || bytes[p - 1] === 0x0a;
  if (!text && edit.op !== 'truncate') return undefined;
  switch (edit.op) {
    case 'truncate':
      if (p === n || (lineEnd && !edit.file.endsWith('train.txt'))) return undefined;
      return bytes.subarray(0, p);
    case 'replace': {
      if (p === n || bytes[p] === b) return undefined;
      const o = bytes[p];
      if (isDigit(o) && (isDigit(b) || isSep(b))) return undefined;
      if (isSep(o) && (isDigit(b) || (isSep(b) && isDigit(bytes[p - 1]) && isDigit(bytes[p + 1])))) return undefined;
      const c = Buffer.from(bytes);
      c[p] = b;
      return c;
    }
    case 'insert':
      if (isDigit(b) || (isSep(b) && isDigit(bytes[p - 1]) && isDigit(bytes[p]))) return undefined;
      return Buffer.concat([bytes.subarray(0, p), Buffer.from([b]), bytes.subarray(p)]);
    case 'delete':
      if (p === n || isDigit(bytes[p]) || (isSep(bytes[p]) && isDigit(bytes[p - 1]) && isDigit(bytes[p + 1]))) return undefined;
      return Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 1)]);
    default: {
      const lines = bytes.toString('latin1').split('\n').slice(0, -1);
      const k = p % lines.length;
      if (edit.op === 'dropLine') {
        if (!edit.file.endsWith('train.txt')) return undefined;
        lines.splice(k, 1);
      } else if (edit.op === 'dupLine') lines.splice(k, 0, lines[k]);
      else {
        const j = (k + 1) % lines.length;
        [lines[k], lines[j]] = [lines[j], lines[k]];
      }
      return Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1');
    }
  }
}

const canonical = (d: AlphaRecDir) => ({
  shape: [d.split.nUsers, d.split.nItems],
  rows: (['train', 'valid', 'test'] as const).map((part) => Array.from({ length: d.split.nUsers }, (_, u) => Array.from(d.split[part].row(u)))),
  emb: d.itemEmbeddings ? [d.itemEmbeddings.dim, Array.from(d.itemEmbeddings.data)] : undefined,
});

function writeAll(dir: string, files: Record<string, Buffer>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
}

describe('AlphaRec layout: random damage is rejected with its file, or changes nothing', () => {
  const root = tempDir();
  it('holds for 400 random edits', async () => {
    const outcomes = { rejected: 0, identical: 0 };
    const edit = fc.record({
      file: fc.constantFrom('cf_data/train.txt', 'cf_data/valid.txt', 'cf_data/test.txt', 'item_info/e.npy'),
      op: fc.constantFrom('truncate', 'replace', 'insert', 'delete', 'dropLine', 'dupLine', 'swapLines'),
      pos: fc.nat(),
      byte: fc.constantFrom(...FOREIGN, ...SEP),
    }) as fc.Arbitrary<Edit>;
    const data = fc.record({ seed: fc.nat(), nUsers: fc.integer({ min: 2, max: 8 }), nItems: fc.integer({ min: 3, max: 14 }), npy: fc.boolean() });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(data, edit, async (d, e) => {
        const fx = fixture(d.seed, d.nUsers, d.nItems, d.npy);
        fc.pre(fx.files[e.file] !== undefined);
        const edited = apply(fx.files[e.file], e);
        fc.pre(edited !== undefined);
        const clean = join(root, `clean${run}`);
        const dir = join(root, `case${run++}`);
        writeAll(clean, fx.files);
        const reference = canonical(await loadAlphaRecDir(clean));
        writeAll(dir, { ...fx.files, [e.file]: edited! });
        try {
          const loaded = await loadAlphaRecDir(dir);
          expect(canonical(loaded), `${e.op} silently changed the data`).toEqual(reference);
          outcomes.identical++;
        } catch (error) {
          if (!isLmrecError(error)) throw error;
          const named = Object.keys(fx.files).map((f) => join(dir, f));
          expect([...named, join(dir, 'cf_data')], error.message).toContain(error.file);
          if (error.file!.endsWith('.txt') && error.code !== 'E_EMPTY') expect(error.line, error.message).toBeGreaterThanOrEqual(1);
          outcomes.rejected++;
        }
        rmSync(clean, { recursive: true, force: true });
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 400, seed: 2024, maxSkipsPerRun: 1000 },
    );
    // Not vacuous: most generated edits must have been damage that was caught.
    expect(outcomes.rejected).toBeGreaterThan(250);
  });
});
