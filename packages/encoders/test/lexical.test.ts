import { Rng } from '@lmrec/core';
import { describe, expect, it } from 'vitest';
import { LexicalEncoder, forEachFeatureHash, hashToken, lexicalFeatures, lexicalTokens, projectionRow } from '../src/index.js';
import { CONTRACT_TEXTS, textEncoderContract } from '@lmrec/testing';

const corpus = [...CONTRACT_TEXTS, 'Babe (1995)', 'Dead Man Walking (1995)', 'Richard III (1995)'];

textEncoderContract({
  name: 'lexical (gaussian projection)',
  create: () => {
    const encoder = new LexicalEncoder({ dim: 64 });
    encoder.fit(corpus);
    return encoder;
  },
  normalized: true,
});

textEncoderContract({
  name: 'lexical (achlioptas, sublinear, 2^12 buckets)',
  create: () => {
    const encoder = new LexicalEncoder({ projection: 'achlioptas', dim: 32, buckets: 4096, sublinearTf: true });
    encoder.fit(corpus);
    return encoder;
  },
  normalized: true,
});

describe('hashToken (murmur3 x86 32-bit)', () => {
  it('matches the published test vectors', () => {
    expect(hashToken('', 0)).toBe(0);
    expect(hashToken('', 1)).toBe(0x514e28b7);
    expect(hashToken('', 0xffffffff)).toBe(0x81f16f39);
    expect(hashToken('\0\0\0\0', 0)).toBe(0x2362f9de);
    expect(hashToken('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(hashToken('Hello, world!', 0x9747b28c)).toBe(0x24884cba);
    expect(hashToken('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('hashes the UTF-8 bytes (3- and 4-byte sequences)', () => {
    // Same bytes as a Latin-1 string of the UTF-8 encoding would give, computed by a byte-wise reference.
    const ref = (bytes: Uint8Array, seed: number) => {
      let h = seed >>> 0;
      const mix = (k: number) => {
        k = Math.imul(k, 0xcc9e2d51);
        k = (k << 15) | (k >>> 17);
        return Math.imul(k, 0x1b873593);
      };
      let i = 0;
      for (; i + 4 <= bytes.length; i += 4) {
        h ^= mix(bytes[i] + bytes[i + 1] * 256 + bytes[i + 2] * 65536 + bytes[i + 3] * 16777216);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
      }
      let k = 0;
      for (let j = bytes.length - 1; j >= i; j--) k = (k << 8) | bytes[j];
      if (bytes.length > i) h ^= mix(k);
      h ^= bytes.length;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    };
    for (const s of ['千と千尋', 'café', '🎬x', 'ab'.repeat(300)]) expect(hashToken(s, 7)).toBe(ref(Buffer.from(s, 'utf8'), 7));
  });
});

describe('lexicalTokens / lexicalFeatures', () => {
  it('normalises with NFKC + lower case and splits on non-alphanumerics', () => {
    expect(lexicalTokens('Toy Story (1995)')).toEqual(['toy', 'story', '1995']);
    expect(lexicalTokens('Ｔｏｙ  ＳＴＯＲＹ')).toEqual(['toy', 'story']);
    expect(lexicalTokens('ﬁve-ﬂoor café')).toEqual(['five', 'floor', 'café']);
    expect(lexicalTokens('Cafe\u0301')).toEqual(['café']);
    expect(lexicalTokens('')).toEqual([]);
  });

  it('builds word n-grams and char_wb n-grams', () => {
    expect(lexicalFeatures('Ab cd', { wordNgrams: [1, 2], charNgrams: [3, 5] })).toEqual([
      'w:ab',
      'w:cd',
      'w:ab cd',
      'c: ab',
      'c:ab ',
      'c: ab ',
      'c: cd',
      'c:cd ',
      'c: cd ',
    ]);
    // A padded word shorter than the smallest n yields itself once; code points, not UTF-16 units.
    expect(lexicalFeatures('𝔸', { wordNgrams: [0, 0], charNgrams: [4, 5] })).toEqual(['c: a ']);
    expect(lexicalFeatures('ñ', { wordNgrams: [0, 0], charNgrams: [4, 5] })).toEqual(['c: ñ ']);
    expect(lexicalFeatures('a b c', { wordNgrams: [2, 3], charNgrams: [0, 0] })).toEqual(['w:a b', 'w:b c', 'w:a b c']);
  });
});

/** Second, plain implementation: Maps and strings, dense output over all buckets. */
function referenceTfidf(
  docs: string[],
  text: string,
  o: { buckets: number; signed: boolean; sublinear: boolean; word: [number, number]; char: [number, number]; fitted: boolean },
): Float64Array {
  const vec = (t: string) => {
    const m = new Map<number, number>();
    for (const f of lexicalFeatures(t, { wordNgrams: o.word, charNgrams: o.char })) {
      const h = hashToken(f, 0);
      const b = (h & 0x7fffffff) % o.buckets;
      const s = o.signed && h >= 2 ** 31 ? -1 : 1;
      m.set(b, (m.get(b) ?? 0) + s);
    }
    return m;
  };
  const df = new Map<number, number>();
  for (const d of docs) for (const [b, v] of vec(d)) if (v !== 0) df.set(b, (df.get(b) ?? 0) + 1);
  const out = new Float64Array(o.buckets);
  for (const [b, tf] of vec(text)) {
    if (tf === 0) continue;
    const w = o.sublinear ? Math.sign(tf) * (1 + Math.log(Math.abs(tf))) : tf;
    const idf = o.fitted ? Math.log((1 + docs.length) / (1 + (df.get(b) ?? 0))) + 1 : 1;
    out[b] = w * idf;
  }
  return out;
}

describe('forEachFeatureHash (allocation-free hot path)', () => {
  it('hashes exactly the strings lexicalFeatures returns, in order', () => {
    const texts = [...CONTRACT_TEXTS, 'Amélie', '千と千尋の神隠し', 'a', 'naïve café 🎬 Łódź x'.repeat(3), 'e\u0301 𝔸𝔹 ﬁlm', ''];
    for (const [word, char] of [
      [[1, 2], [3, 5]],
      [[1, 3], [1, 2]],
      [[0, 0], [2, 6]],
      [[2, 2], [0, 0]],
    ] as [number, number][][]) {
      for (const text of texts) {
        const got: number[] = [];
        forEachFeatureHash(text, word as [number, number], char as [number, number], 17, (h) => got.push(h));
        const want = lexicalFeatures(text, { wordNgrams: word as [number, number], charNgrams: char as [number, number] }).map((f) => hashToken(f, 17));
        expect(got).toEqual(want);
      }
    }
  });
});

describe('LexicalEncoder', () => {
  it('computes smooth idf by hand: idf = ln((1+n)/(1+df)) + 1', async () => {
    const enc = new LexicalEncoder({ wordNgrams: [1, 1], charNgrams: [0, 0], projection: 'none', buckets: 1 << 20, signed: false, normalize: false });
    enc.fit(['a b', 'a c', 'a']);
    const bucket = (t: string) => (hashToken(`w:${t}`, 0) & 0x7fffffff) % (1 << 20);
    expect(new Set(['a', 'b', 'c'].map(bucket)).size).toBe(3);
    const [row] = await enc.encode(['a b b']);
    expect(row[bucket('a')]).toBeCloseTo(1, 6); // df 3 of 3: ln(4/4) + 1
    expect(row[bucket('b')]).toBeCloseTo(2 * (Math.log(4 / 2) + 1), 6); // tf 2, df 1
    expect(row[bucket('c')]).toBe(0);
    const nonzero = row.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
    expect(nonzero).toBe(2);

    const sub = new LexicalEncoder({ wordNgrams: [1, 1], charNgrams: [0, 0], projection: 'none', buckets: 1 << 20, signed: false, normalize: false, sublinearTf: true });
    sub.fit(['a b', 'a c', 'a']);
    const [r2] = await sub.encode(['b b b']);
    expect(r2[bucket('b')]).toBeCloseTo((1 + Math.log(3)) * (Math.log(2) + 1), 5);
  });

  it('matches a plain reference implementation with signed collisions in a small space', async () => {
    for (const [signed, sublinear, fitted] of [
      [true, false, true],
      [true, true, true],
      [false, false, false],
    ] as const) {
      const enc = new LexicalEncoder({ buckets: 97, projection: 'none', signed, sublinearTf: sublinear, normalize: false });
      if (fitted) enc.fit(corpus);
      const rows = await enc.encode(CONTRACT_TEXTS);
      CONTRACT_TEXTS.forEach((t, i) => {
        const ref = referenceTfidf(corpus, t, { buckets: 97, signed, sublinear, word: [1, 2], char: [3, 5], fitted });
        for (let b = 0; b < 97; b++) expect(rows[i][b]).toBeCloseTo(ref[b], 4);
      });
    }
  });

  it('projects with the dense seeded matrix and then L2-normalises', async () => {
    const raw = new LexicalEncoder({ buckets: 50, projection: 'none', normalize: false });
    const proj = new LexicalEncoder({ buckets: 50, projection: 'gaussian', dim: 8, projectionSeed: 3 });
    raw.fit(corpus);
    proj.fit(corpus);
    const matrix = Array.from({ length: 50 }, (_, b) => projectionRow('gaussian', 8, new Rng(3).fork(b)));
    const [x] = await raw.encode(['Twelve Monkeys']);
    const [y] = await proj.encode(['Twelve Monkeys']);
    const expected = new Float64Array(8);
    for (let b = 0; b < 50; b++) for (let j = 0; j < 8; j++) expected[j] += x[b] * matrix[b][j];
    const norm = Math.hypot(...expected);
    for (let j = 0; j < 8; j++) expect(y[j]).toBeCloseTo(expected[j] / norm, 5);
  });

  it('draws projection entries with the documented distributions', () => {
    const rng = new Rng(11);
    const g = Array.from({ length: 400 }, (_, b) => projectionRow('gaussian', 100, rng.fork(b))).flatMap((r) => Array.from(r));
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length;
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(variance * 100).toBeGreaterThan(0.97);
    expect(variance * 100).toBeLessThan(1.03);
    const a = Array.from({ length: 400 }, (_, b) => projectionRow('achlioptas', 100, rng.fork(b))).flatMap((r) => Array.from(r));
    const s = Math.fround(Math.sqrt(3 / 100));
    const pos = a.filter((v) => v === s).length / a.length;
    const neg = a.filter((v) => v === -s).length / a.length;
    const zero = a.filter((v) => v === 0).length / a.length;
    expect(pos + neg + zero).toBe(1);
    expect(Math.abs(pos - 1 / 6)).toBeLessThan(0.01);
    expect(Math.abs(neg - 1 / 6)).toBeLessThan(0.01);
  });

  it('puts every option and the fitted corpus in its id', () => {
    const base = new LexicalEncoder();
    expect(base.id).toBe('lexical-v1(w=1-2,c=3-5,buckets=262144,hash=murmur3_32:0,signed,tf=raw,idf=smooth:unfitted,proj=gaussian:256:0,l2)');
    const ids = new Set(
      [
        {},
        { buckets: 1024 },
        { hashSeed: 1 },
        { signed: false },
        { sublinearTf: true },
        { idf: false },
        { projection: 'achlioptas' as const },
        { dim: 128 },
        { projectionSeed: 9 },
        { normalize: false },
        { wordNgrams: [1, 1] as [number, number] },
        { charNgrams: [2, 4] as [number, number] },
        { projection: 'none' as const, buckets: 64 },
      ].map((o) => new LexicalEncoder(o).id),
    );
    expect(ids.size).toBe(13);
    const a = new LexicalEncoder();
    a.fit(['x y']);
    const b = new LexicalEncoder();
    b.fit(['x z']);
    expect(a.id).not.toBe(base.id);
    expect(a.id).not.toBe(b.id);
  });

  it('refuses bad options with LmrecError', () => {
    expect(() => new LexicalEncoder({ buckets: 0 })).toThrow(/buckets/);
    expect(() => new LexicalEncoder({ wordNgrams: [2, 1] })).toThrow(/wordNgrams/);
    expect(() => new LexicalEncoder({ projection: 'none', dim: 5 })).toThrow(/dim/);
    expect(() => new LexicalEncoder({ wordNgrams: [0, 0], charNgrams: [0, 0] })).toThrow(/disabled/);
  });
});
