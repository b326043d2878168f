import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floatToHalf, halfToFloat, serializeSafetensors } from '@lmrec/core';
import { GloveEncoder, GLOVE_TOKENIZER, sifWeights } from '@lmrec/encoders';
import { randomVectors, writeGloveJson } from '@lmrec/encoders/testing';
import { BundleError, checkManifest, halfToFloat32, IntentionEncoder, parseSafetensors } from '../src/index.js';

describe('the page-side safetensors reader', () => {
  it('reads what core writes: F32, F16 (decoded as core decodes) and I32, at any alignment', () => {
    const f = Float32Array.from([0.5, -1.25, 3.1415927, 1e-6, 65504, -0]);
    const bytes = serializeSafetensors({ a: { dtype: 'F16', shape: [3], data: f.subarray(0, 3) }, b: { dtype: 'F32', shape: [2, 3], data: f }, c: { dtype: 'I32', shape: [2], data: Int32Array.of(7, -9) } }, { k: 'v' });
    const parsed = parseSafetensors(bytes.slice().buffer);
    expect(Array.from(parsed.tensors.get('b')!.data)).toEqual(Array.from(f));
    expect(Array.from(parsed.tensors.get('a')!.data)).toEqual(Array.from(f.subarray(0, 3), (v) => halfToFloat(floatToHalf(v))));
    expect(Array.from(parsed.tensors.get('c')!.data)).toEqual([7, -9]);
    expect(parsed.metadata).toEqual({ k: 'v' });
  });

  it('decodes every half bit pattern as core does', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const got = halfToFloat32(all);
    const bad = Array.from(all).filter((h) => !(Object.is(got[h], Math.fround(halfToFloat(h))) || (Number.isNaN(got[h]) && Number.isNaN(halfToFloat(h)))));
    expect(bad).toEqual([]);
  });

  it('says truncated when the data or the header is cut off', () => {
    const bytes = serializeSafetensors({ b: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    for (const cut of [4, 12, bytes.length - 1]) {
      expect(() => parseSafetensors(bytes.slice(0, cut).buffer)).toThrow(expect.objectContaining({ code: 'E_BUNDLE_TRUNCATED' }));
    }
  });

  it('checks format, version and model type in that order', () => {
    const err = (v: unknown) => {
      try {
        checkManifest(v);
        return 'ok';
      } catch (e) {
        return (e as BundleError).code;
      }
    };
    expect(err({ format: 'x' })).toBe('E_BUNDLE_FORMAT');
    expect(err({ format: 'lmrec-bundle', version: 9, model: 'other' })).toBe('E_BUNDLE_VERSION');
    expect(err({ format: 'lmrec-bundle', version: 1, model: 'other' })).toBe('E_BUNDLE_MODEL');
  });
});

describe('IntentionEncoder', () => {
  it('equals the glove encoder (SIF, component removed) on a subset that holds the words, and names unknown ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmrec-browser-glove-'));
    const words = ['the', 'a', 'movie', 'scary', 'ghost', 'ghosts', 'sci-fi', 'sci', 'fi', 'funny', 'space', 'war', 'love', "'s", 'it'];
    const source = join(dir, 'g.json');
    writeGloveJson(source, words, randomVectors(words.length, 6, 3));
    const glove = new GloveEncoder({ source, cacheDir: join(dir, 'cache') });
    await glove.fit(['the scary movie', 'a funny sci-fi movie', 'love and war in space']);
    const table = await glove.load();
    // The subset: rows 2.. only (a page that lacks "the" and "a"), SIF weights of the full table.
    const rows = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
    const all = sifWeights(table.size, glove.sifA!);
    const enc = new IntentionEncoder(
      { encoder: 'glove', id: glove.id, tokenizer: GLOVE_TOKENIZER, pooling: 'sif', removePc: true, words: rows.map((r) => words[r]), fullVocabulary: words.length },
      Float32Array.from(rows.flatMap((r) => [...table.row(r)])),
      6,
      Float32Array.from(rows, (r) => all[r]),
      Float32Array.from(glove.getFitState()!.pc!),
    );
    for (const text of ['scary ghosts, space!', "it's sci-fi war movie", 'FUNNY love']) {
      const [expected] = await glove.encode([text]);
      const got = enc.encode(text);
      expect(got.unknown).toEqual([]);
      got.vector.forEach((v, j) => expect(v).toBeCloseTo(expected[j], 6));
    }
    expect(enc.encode('the scary movie').unknown).toEqual(['the']);
    expect(() => new IntentionEncoder({ ...enc.spec, tokenizer: 'ptb0' }, new Float32Array(0), 6, undefined, undefined)).toThrow(BundleError);
  });
});
