import { CapturingProgress, type TextEncoder } from '@lmrec/core';
import { describe, expect, it } from 'vitest';

export interface ContractSubject {
  encoder: TextEncoder;
  /** A second, independently constructed encoder with the same options (determinism across instances). */
  twin?: TextEncoder;
}

export interface ContractOptions {
  /** Rows are L2-normalised. */
  normalized?: boolean;
  /** Max |a-b| allowed between batchings (padding in a batch may change float rounding). */
  tolerance?: number;
  /** Texts the encoder can distinguish (they must give pairwise different rows). */
  distinct?: readonly string[];
  /** Replaces the long text (for encoders keyed by id, which cannot take arbitrary text). */
  longText?: string;
  /** Replaces the non-ASCII texts. */
  nonAsciiTexts?: readonly string[];
}

export const CONTRACT_TEXTS = [
  'Toy Story (1995)',
  'GoldenEye (1995)',
  'Four Rooms (1995)',
  'Get Shorty (1995)',
  'Copycat (1995)',
  'Shanghai Triad (Yao a yao yao dao waipo qiao) (1995)',
  'Twelve Monkeys (1995)',
];

export const LONG_TEXT = 'a very long plot summary about toys and monkeys '.repeat(2000);

export const NON_ASCII_TEXTS = ['Amélie (2001)', '千と千尋の神隠し', 'Ｔｏｙ Ｓｔｏｒｙ', 'naïve café 🎬', 'Łódź', ''];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The TextEncoder contract; `make` builds a fresh (fitted if needed) subject. */
export function textEncoderContract(name: string, make: () => Promise<ContractSubject>, options: ContractOptions = {}): void {
  const tol = options.tolerance ?? 0;
  describe(`TextEncoder contract: ${name}`, () => {
    it('has a non-empty id and a positive integer dim', async () => {
      const { encoder } = await make();
      expect(typeof encoder.id).toBe('string');
      expect(encoder.id.length).toBeGreaterThan(0);
      expect(Number.isInteger(encoder.dim) && encoder.dim > 0).toBe(true);
    });

    it('returns one finite Float32Array of length dim per text, in order', async () => {
      const { encoder } = await make();
      const rows = await encoder.encode(CONTRACT_TEXTS);
      expect(rows).toHaveLength(CONTRACT_TEXTS.length);
      for (const row of rows) {
        expect(row).toBeInstanceOf(Float32Array);
        expect(row.length).toBe(encoder.dim);
        expect(row.every(Number.isFinite)).toBe(true);
        if (options.normalized) {
          const norm = Math.hypot(...row);
          expect(Math.abs(norm - 1)).toBeLessThan(1e-4);
        }
      }
      // Order: encoding one text alone gives the row at its position.
      const [third] = await encoder.encode([CONTRACT_TEXTS[2]]);
      expect(maxAbsDiff(third, rows[2])).toBeLessThanOrEqual(tol);
    });

    it('distinguishes different texts', async () => {
      const { encoder } = await make();
      const texts = options.distinct ?? CONTRACT_TEXTS;
      const rows = await encoder.encode(texts);
      for (let i = 0; i < rows.length; i++) {
        for (let j = i + 1; j < rows.length; j++) expect(maxAbsDiff(rows[i], rows[j])).toBeGreaterThan(1e-6);
      }
    });

    it('is deterministic across calls and instances', async () => {
      const { encoder, twin } = await make();
      const a = await encoder.encode(CONTRACT_TEXTS);
      const b = await encoder.encode(CONTRACT_TEXTS);
      a.forEach((row, i) => expect(Array.from(row)).toEqual(Array.from(b[i])));
      if (twin) {
        expect(twin.id).toBe(encoder.id);
        const c = await twin.encode(CONTRACT_TEXTS);
        a.forEach((row, i) => expect(Array.from(row)).toEqual(Array.from(c[i])));
      }
    });

    it('does not depend on the batch size', async () => {
      const { encoder } = await make();
      const whole = await encoder.encode(CONTRACT_TEXTS, { batchSize: 64 });
      for (const batchSize of [1, 3]) {
        const progress = new CapturingProgress();
        const rows = await encoder.encode(CONTRACT_TEXTS, { batchSize, progress });
        rows.forEach((row, i) => expect(maxAbsDiff(row, whole[i])).toBeLessThanOrEqual(tol));
        const ticks = progress.events.filter((e) => e.type === 'tick');
        expect(ticks.at(-1)).toMatchObject({ done: CONTRACT_TEXTS.length });
      }
    });

    it('rejects with the abort reason when the signal is aborted, before or during encoding', async () => {
      const { encoder } = await make();
      const pre = new AbortController();
      pre.abort();
      await expect(encoder.encode(CONTRACT_TEXTS, { signal: pre.signal })).rejects.toMatchObject({ name: 'AbortError' });
      const mid = new AbortController();
      let ticks = 0;
      const progress = {
        start: () => ({
          tick: () => {
            if (++ticks === 1) mid.abort();
          },
          set() {},
          end() {},
        }),
      };
      await expect(encoder.encode(CONTRACT_TEXTS, { signal: mid.signal, batchSize: 1, progress })).rejects.toMatchObject({ name: 'AbortError' });
      expect(ticks).toBeLessThan(CONTRACT_TEXTS.length);
    });

    it('returns [] for no texts', async () => {
      const { encoder } = await make();
      expect(await encoder.encode([])).toEqual([]);
    });

    it('encodes very long and non-ASCII text', async () => {
      const { encoder } = await make();
      const long = options.longText ?? LONG_TEXT;
      const nonAscii = options.nonAsciiTexts ?? NON_ASCII_TEXTS;
      expect(long.length).toBeGreaterThan(1000);
      const rows = await encoder.encode([long, ...nonAscii]);
      expect(rows).toHaveLength(nonAscii.length + 1);
      for (const row of rows) {
        expect(row.length).toBe(encoder.dim);
        expect(row.every(Number.isFinite)).toBe(true);
      }
    });
  });
}
