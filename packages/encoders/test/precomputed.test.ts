import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, serializeNpy, serializeSafetensors } from '@lmrec/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PrecomputedEncoder } from '../src/index.js';
import { CONTRACT_TEXTS, textEncoderContract } from '@lmrec/testing';

const dir = mkdtempSync(join(tmpdir(), 'lmrec-pre-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LONG_ID = `item-${'x'.repeat(3000)}`;
const NON_ASCII_IDS = ['Amélie (2001)', '千と千尋の神隠し', 'naïve café 🎬'];
const IDS = [...CONTRACT_TEXTS, LONG_ID, ...NON_ASCII_IDS];
const DIM = 6;
const rng = new Rng(1);
const MATRIX = Float32Array.from({ length: IDS.length * DIM }, () => rng.normal());

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const npy = write('emb.npy', serializeNpy(MATRIX, [IDS.length, DIM]));
const idsFile = write('ids.txt', IDS.join('\n') + '\n');

textEncoderContract({
  name: 'precomputed (.npy + ids)',
  create: () => new PrecomputedEncoder({ file: npy, idsFile }),
  longText: LONG_ID,
  nonAsciiTexts: NON_ASCII_IDS,
});

describe('PrecomputedEncoder', () => {
  it('returns the stored rows by id, from .npy and from safetensors (F32, F16, CRLF ids)', async () => {
    const st = write('emb.safetensors', serializeSafetensors({ item_emb: { dtype: 'F32', shape: [IDS.length, DIM], data: MATRIX } }));
    const half = write('half.safetensors', serializeSafetensors({ a: { dtype: 'F16', shape: [IDS.length, DIM], data: MATRIX }, b: { dtype: 'F32', shape: [1], data: new Float32Array(1) } }));
    const crlf = write('ids-crlf.txt', IDS.join('\r\n'));
    for (const enc of [new PrecomputedEncoder({ file: npy, idsFile }), new PrecomputedEncoder({ file: st, idsFile: crlf })]) {
      const rows = await enc.encode([IDS[3], IDS[0], LONG_ID]);
      expect(Array.from(rows[0])).toEqual(Array.from(MATRIX.subarray(3 * DIM, 4 * DIM)));
      expect(Array.from(rows[1])).toEqual(Array.from(MATRIX.subarray(0, DIM)));
      expect(Array.from(rows[2])).toEqual(Array.from(MATRIX.subarray(7 * DIM, 8 * DIM)));
    }
    const h = new PrecomputedEncoder({ file: half, idsFile, tensor: 'a' });
    const [r] = await h.encode([IDS[2]]);
    for (let j = 0; j < DIM; j++) expect(r[j]).toBeCloseTo(MATRIX[2 * DIM + j], 2);
    expect(() => new PrecomputedEncoder({ file: half, idsFile })).toThrow(/no tensor "embeddings" \(tensors: a, b\)/);
  });

  it('builds the matrix in dataset order and names missing and extra ids', () => {
    const enc = new PrecomputedEncoder({ file: npy, idsFile });
    const order = [IDS[5], IDS[1]];
    expect(() => enc.matrixFor(order)).toThrow(/9 embedding id\(s\) are not dataset items/);
    const { dim, data } = enc.matrixFor([...IDS].reverse());
    expect(dim).toBe(DIM);
    expect(Array.from(data.subarray(0, DIM))).toEqual(Array.from(MATRIX.subarray((IDS.length - 1) * DIM)));
    const error = (() => {
      try {
        new PrecomputedEncoder({ file: npy, idsFile, itemIds: [...IDS.slice(1), 'Heat (1995)'] });
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe('E_IDS');
    expect(error?.message).toContain('1 dataset item(s) have no embedding: "Heat (1995)"');
    expect(error?.message).toContain('1 embedding id(s) are not dataset items: "Toy Story (1995)"');
  });

  it('refuses unknown ids, row/id count mismatches, duplicates, empty ids and non-2-D arrays', async () => {
    const enc = new PrecomputedEncoder({ file: npy, idsFile });
    await expect(enc.encode(['nope'])).rejects.toThrow(/no precomputed embedding for 1 id\(s\): "nope"/);
    expect(() => new PrecomputedEncoder({ file: npy, idsFile: write('short.txt', IDS.slice(1).join('\n')) })).toThrow(/10 ids for 11 embedding rows/);
    expect(() => new PrecomputedEncoder({ file: npy, idsFile: write('dup.txt', [...IDS.slice(0, 10), IDS[2]].join('\n')) })).toThrow(/line 11.*duplicate id "Four Rooms \(1995\)" \(first on line 3\)/);
    expect(() => new PrecomputedEncoder({ file: npy, idsFile: write('empty.txt', ['a', '', ...IDS.slice(2)].join('\n')) })).toThrow(/line 2.*empty id/);
    const flat = write('flat.npy', serializeNpy(MATRIX, [MATRIX.length]));
    expect(() => new PrecomputedEncoder({ file: flat, idsFile })).toThrow(/2-D/);
  });

  it('normalises on request and keys the id on the file contents', async () => {
    const a = new PrecomputedEncoder({ file: npy, idsFile, normalize: true });
    const [row] = await a.encode([IDS[4]]);
    expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    const other = write('emb2.npy', serializeNpy(MATRIX.map((x) => x * 2), [IDS.length, DIM]));
    expect(new PrecomputedEncoder({ file: other, idsFile }).id).not.toBe(new PrecomputedEncoder({ file: npy, idsFile }).id);
    expect(a.id).not.toBe(new PrecomputedEncoder({ file: npy, idsFile }).id);
  });
});
