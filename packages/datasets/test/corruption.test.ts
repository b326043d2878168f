import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { Rng, isLmrecError } from '@lmrec/core';
import { loadMovieLens } from '../src/index.js';
import { tempDir } from './helpers.js';
import { canonical, randomMovieLens, writeMl100k, writeMl1m, writeMlCsv } from './fixtures.js';

/**
 * Random corruptions of valid files. Edits that keep a file well formed by
 * construction are not generated: digit-for-digit changes (a different but
 * valid number), edits inside free-text title/genre-name spans, and cuts
 * exactly at a line end (indistinguishable from a shorter release). Every
 * other edit must be either rejected with an error naming a file of the
 * dataset (and a line, unless the file is empty) or load an identical dataset.
 */
const STRUCTURAL = [0x09, 0x2c, 0x3a, 0x7c, 0x0a, 0x0d, 0x20, 0x2e, 0x2d, 0x22, 0x78, 0x65, 0xff, 0x80, 0xc3, 0x00];
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

/** Byte ranges of free text (titles, genre names) in a movies file. */
function freeTextSpans(bytes: Buffer, variant: '100k' | '1m' | 'csv'): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const line = bytes.subarray(start, i).toString('latin1');
    if (variant === '100k') {
      const a = line.indexOf('|');
      const b = line.indexOf('|', a + 1);
      if (a >= 0 && b > a) spans.push([start + a + 1, start + b]);
    } else if (variant === '1m') {
      const a = line.indexOf('::');
      if (a >= 0) spans.push([start + a + 2, start + line.length]);
    } else if (start > 0) {
      const a = line.indexOf(',');
      const quoted = line[a + 1] === '"';
      const b = quoted ? line.lastIndexOf('"') : line.lastIndexOf(',');
      if (a >= 0) spans.push([start + a + (quoted ? 2 : 1), start + b]);
      const g = line.lastIndexOf(',');
      spans.push([start + g + 1, start + line.length]);
    }
    start = i + 1;
  }
  return spans;
}

type Edit = { kind: string; apply: (b: Buffer) => Buffer } | undefined;

function randomEdit(rng: Rng, bytes: Buffer, spans: [number, number][]): Edit {
  const inText = (p: number, inclusiveEnd: boolean) => spans.some(([a, b]) => p >= a && (inclusiveEnd ? p <= b : p < b));
  const pos = rng.int(bytes.length + 1);
  const byte = STRUCTURAL[rng.int(STRUCTURAL.length)];
  switch (rng.int(5)) {
    case 0:
      if (inText(pos, true)) return undefined;
      return { kind: `insert 0x${byte.toString(16)} at ${pos}`, apply: (b) => Buffer.concat([b.subarray(0, pos), Buffer.from([byte]), b.subarray(pos)]) };
    case 1:
      if (pos >= bytes.length || isDigit(bytes[pos]) || inText(pos, false)) return undefined;
      return { kind: `delete 0x${bytes[pos].toString(16)} at ${pos}`, apply: (b) => Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1)]) };
    case 2:
      if (pos >= bytes.length || inText(pos, false) || byte === bytes[pos]) return undefined;
      // A line-final digit replaced by CR reads as that digit deleted (CRLF files are valid): a digit edit.
      if (byte === 0x0d && isDigit(bytes[pos]) && (pos + 1 === bytes.length || bytes[pos + 1] === 0x0a)) return undefined;
      return {
        kind: `replace 0x${bytes[pos].toString(16)} by 0x${byte.toString(16)} at ${pos}`,
        apply: (b) => {
          const c = Buffer.from(b);
          c[pos] = byte;
          return c;
        },
      };
    case 3:
      if (pos === bytes.length || (pos > 0 && bytes[pos - 1] === 0x0a)) return undefined;
      return { kind: `truncate at ${pos}`, apply: (b) => b.subarray(0, pos) };
    default: {
      const lines = bytes.toString('latin1').split('\n');
      const n = lines.length - 1;
      const k = 1 + rng.int(Math.max(1, n - 1));
      if (k >= n) return undefined;
      return { kind: `duplicate line ${k + 1}`, apply: (b) => Buffer.from(b.toString('latin1').split('\n').flatMap((l, i) => (i === k ? [l, l] : [l])).join('\n'), 'latin1') };
    }
  }
}

const formats = [
  { variant: '100k' as const, write: writeMl100k, files: ['u.data', 'u.item'], half: false },
  { variant: '1m' as const, write: writeMl1m, files: ['ratings.dat', 'movies.dat'], half: false },
  { variant: 'csv' as const, write: (d: string, x: any) => writeMlCsv(d, x), files: ['ratings.csv', 'movies.csv'], half: true },
];

describe('randomised corruption', () => {
  for (const format of formats) {
    it(`ML ${format.variant}: every corruption is rejected with a location or parses identically`, async () => {
      const root = tempDir();
      const data = randomMovieLens(100 + format.files.length, 12, 25, 8, format.half);
      const clean = join(root, 'clean');
      format.write(clean, data);
      const reference = canonical(await loadMovieLens({ dir: clean }));
      const rng = new Rng(2024).fork(format.variant);
      const outcomes: Record<string, number> = { rejected: 0, identical: 0 };
      let cases = 0;
      while (cases < 120) {
        const file = format.files[rng.int(format.files.length)];
        const original = readFileSync(join(clean, file));
        const spans = file.startsWith('u.item') || file.startsWith('movies') ? freeTextSpans(original, format.variant) : [];
        const edit = randomEdit(rng, original, spans);
        if (!edit) continue;
        cases++;
        const dir = join(root, 'case');
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir);
        for (const f of [...format.files, ...(format.variant === '1m' ? ['users.dat'] : [])]) writeFileSync(join(dir, f), readFileSync(join(clean, f)));
        writeFileSync(join(dir, file), edit.apply(original));
        let outcome: string;
        try {
          const ds = await loadMovieLens({ dir });
          expect(canonical(ds), `${file}: ${edit.kind} changed the dataset silently`).toEqual(reference);
          outcome = 'identical';
        } catch (error) {
          if (!isLmrecError(error)) throw new Error(`${file}: ${edit.kind} threw a non-LmrecError: ${String(error)}`);
          // The error may surface in the other file (a movie id damaged in the catalogue is reported where it is rated).
          expect(format.files.map((f) => join(dir, f)), `${file}: ${edit.kind} -> ${error.message}`).toContain(error.file);
          if (error.code !== 'E_EMPTY') expect(error.line, `${file}: ${edit.kind} -> ${error.message}`).toBeGreaterThanOrEqual(1);
          outcome = 'rejected';
        }
        outcomes[outcome]++;
      }
      // Most edits must have been caught: the test is not vacuous.
      expect(outcomes.rejected + outcomes.identical).toBe(120);
      expect(outcomes.rejected).toBeGreaterThan(80);
    });
  }
});
