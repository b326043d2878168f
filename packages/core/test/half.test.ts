import { describe, expect, it } from 'vitest';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat, Rng } from '../src/index.js';

/** IEEE 754 binary16 decoded from the spec's formula. */
function decodeHalf(h: number): number {
  const sign = h >> 15 ? -1 : 1;
  const e = (h >> 10) & 31;
  const f = h & 1023;
  if (e === 31) return f ? NaN : sign * Infinity;
  if (e === 0) return sign * 2 ** -14 * (f / 1024);
  return sign * 2 ** (e - 15) * (1 + f / 1024);
}

describe('half precision', () => {
  it('decodes every one of the 65536 bit patterns as the spec formula does, and re-encodes it', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const want = decodeHalf(h);
      const got = halfToFloat(h);
      const ok = Number.isNaN(want)
        ? Number.isNaN(got) && Number.isNaN(halfToFloat(floatToHalf(got)))
        : Object.is(got, want) && floatToHalf(got) === h;
      if (!ok) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest, ties to even, with overflow to infinity and subnormals', () => {
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2)).toBe(0xc000);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(65519)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00); // halfway to 65536: ties to even = infinity
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // halfway, even mantissa kept
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, rounds up to even
    expect(floatToHalf(2 ** -24)).toBe(0x0001);
    expect(floatToHalf(2 ** -25)).toBe(0x0000); // halfway between 0 and the smallest subnormal
    expect(floatToHalf(1.5 * 2 ** -25)).toBe(0x0001);
    expect(floatToHalf(2 ** -14)).toBe(0x0400);
    expect(floatToHalf(-0)).toBe(0x8000);
    expect(floatToHalf(-Infinity)).toBe(0xfc00);
    expect(floatToHalf(1e-30)).toBe(0);
  });

  it('encodes random floats to the nearest half', () => {
    const rng = new Rng(9);
    const notNearest: number[] = [];
    for (let t = 0; t < 5000; t++) {
      const x = Math.fround((rng.float() * 2 - 1) * 2 ** (rng.int(40) - 26));
      const h = floatToHalf(x);
      const err = Math.abs(decodeHalf(h) - x);
      for (const n of [h - 1, h + 1]) {
        if (n < 0 || (n & 0x7fff) >= 0x7c00 || (n ^ h) & 0x8000) continue;
        if (err > Math.abs(decodeHalf(n) - x)) notNearest.push(x);
      }
    }
    expect(notNearest).toEqual([]);
  });
});

describe('bfloat16', () => {
  it('is the high half of a float32, rounded to nearest even', () => {
    expect(floatToBf16(1)).toBe(0x3f80);
    expect(bf16ToFloat(0x3f80)).toBe(1);
    expect(bf16ToFloat(0x4049)).toBe(3.140625);
    expect(bf16ToFloat(0xc000)).toBe(-2);
    expect(floatToBf16(1 + 2 ** -8)).toBe(0x3f80); // halfway: even kept
    expect(floatToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82); // halfway: up to even
    expect(floatToBf16(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81);
    expect(Number.isNaN(bf16ToFloat(floatToBf16(NaN)))).toBe(true);
    expect(floatToBf16(Infinity)).toBe(0x7f80);
    const wrong: number[] = [];
    for (let b = 0; b < 65536; b++) {
      const f = bf16ToFloat(b);
      if (!Number.isNaN(f) && floatToBf16(f) !== b) wrong.push(b);
    }
    expect(wrong).toEqual([]);
  });
});
