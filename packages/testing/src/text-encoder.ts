import { expect } from 'vitest';
import { CapturingProgress, type TextEncoder } from '@lmrec/core';
import { allFinite, maxAbsDiff } from './numbers.js';
import { registerSuite, type Suite } from './suite.js';

export interface TextEncoderCase {
  name: string;
  /** A fresh, ready encoder (fit it here if it needs a corpus). Called once per check. */
  create(): TextEncoder | Promise<TextEncoder>;
  /**
   * A second, independently built encoder with the same options (determinism
   * across instances), given the first. Default: `create()` again; false skips.
   */
  twin?: false | ((first: TextEncoder) => TextEncoder | Promise<TextEncoder>);
  /** Rows are L2-normalised. */
  normalized?: boolean;
  /** Max |a - b| allowed between batchings (padding in a batch may change float rounding). Default 0. */
  tolerance?: number;
  /** Texts the encoder can tell apart (pairwise different rows). Default CONTRACT_TEXTS. */
  distinct?: readonly string[];
  /** Replaces the long text (encoders keyed by id cannot take arbitrary text). */
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

/**
 * The TextEncoder contract: one finite Float32Array of `dim` entries per
 * text, in order, deterministic across calls and instances, independent of
 * the batch size, progress ticks to the end, abortable, and robust to long
 * and non-ASCII text.
 */
export function textEncoderSuite(c: TextEncoderCase): Suite {
  const tol = c.tolerance ?? 0;
  const make = async () => c.create();
  const checks: Suite['checks'] = [
    {
      title: 'has a non-empty id and a positive integer dim',
      run: async () => {
        const encoder = await make();
        expect(typeof encoder.id).toBe('string');
        expect(encoder.id.length).toBeGreaterThan(0);
        expect(Number.isInteger(encoder.dim) && encoder.dim > 0, `dim ${encoder.dim}`).toBe(true);
      },
    },
    {
      title: 'returns one finite Float32Array of length dim per text, in order',
      run: async () => {
        const encoder = await make();
        const rows = await encoder.encode(CONTRACT_TEXTS);
        expect(rows).toHaveLength(CONTRACT_TEXTS.length);
        for (const row of rows) {
          expect(row).toBeInstanceOf(Float32Array);
          expect(row.length).toBe(encoder.dim);
          expect(allFinite(row)).toBe(true);
          if (c.normalized) expect(Math.abs(Math.hypot(...row) - 1)).toBeLessThan(1e-4);
        }
        const [third] = await encoder.encode([CONTRACT_TEXTS[2]]);
        expect(maxAbsDiff(third, rows[2]), 'a text alone differs from its row in a batch').toBeLessThanOrEqual(tol);
      },
    },
    {
      title: 'distinguishes different texts',
      run: async () => {
        const encoder = await make();
        const rows = await encoder.encode(c.distinct ?? CONTRACT_TEXTS);
        for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) expect(maxAbsDiff(rows[i], rows[j]), `rows ${i} and ${j}`).toBeGreaterThan(1e-6);
      },
    },
    {
      title: 'is deterministic across calls and instances',
      run: async () => {
        const encoder = await make();
        const a = await encoder.encode(CONTRACT_TEXTS);
        const b = await encoder.encode(CONTRACT_TEXTS);
        a.forEach((row, i) => expect(Array.from(row)).toEqual(Array.from(b[i])));
        if (c.twin === false) return;
        const twin = await (c.twin ? c.twin(encoder) : c.create());
        expect(twin.id).toBe(encoder.id);
        const t = await twin.encode(CONTRACT_TEXTS);
        a.forEach((row, i) => expect(Array.from(row)).toEqual(Array.from(t[i])));
      },
    },
    {
      title: "returned rows are the caller's: changing one changes no later result",
      run: async () => {
        const encoder = await make();
        const first = await encoder.encode(CONTRACT_TEXTS);
        const expected = first.map((r) => Array.from(r));
        first.forEach((r) => r.fill(Number.NaN));
        const again = await encoder.encode(CONTRACT_TEXTS);
        again.forEach((row, i) => expect(Array.from(row)).toEqual(expected[i]));
      },
    },
    {
      title: 'does not depend on the batch size, and progress ticks to the end',
      run: async () => {
        const encoder = await make();
        const whole = await encoder.encode(CONTRACT_TEXTS, { batchSize: 64 });
        for (const batchSize of [1, 3]) {
          const progress = new CapturingProgress();
          const rows = await encoder.encode(CONTRACT_TEXTS, { batchSize, progress });
          rows.forEach((row, i) => expect(maxAbsDiff(row, whole[i]), `batch size ${batchSize}, text ${i}`).toBeLessThanOrEqual(tol));
          const ticks = progress.events.filter((e) => e.type === 'tick');
          expect(ticks.at(-1)).toMatchObject({ done: CONTRACT_TEXTS.length });
        }
      },
    },
    {
      title: 'rejects with the abort reason when the signal is aborted, before or during encoding',
      run: async () => {
        const encoder = await make();
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
      },
    },
    {
      title: 'returns [] for no texts',
      run: async () => expect(await (await make()).encode([])).toEqual([]),
    },
    {
      title: 'encodes very long and non-ASCII text',
      run: async () => {
        const encoder = await make();
        const long = c.longText ?? LONG_TEXT;
        const nonAscii = c.nonAsciiTexts ?? NON_ASCII_TEXTS;
        expect(long.length).toBeGreaterThan(1000);
        const rows = await encoder.encode([long, ...nonAscii]);
        expect(rows).toHaveLength(nonAscii.length + 1);
        for (const row of rows) {
          expect(row.length).toBe(encoder.dim);
          expect(allFinite(row)).toBe(true);
        }
      },
    },
  ];
  return { title: `TextEncoder contract: ${c.name}`, checks };
}

/** Registers the TextEncoder contract for one implementation. */
export function textEncoderContract(c: TextEncoderCase): void {
  registerSuite(textEncoderSuite(c));
}
