import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy, readNpy, serializeNpy, writeNpy, type NpyData } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A .npy file as the NEP 1 format spec lays it out: magic, version, header length, padded dict, data. */
function npyBytes(major: number, dict: string, data: Uint8Array | number[]): Uint8Array {
  const prefix = major === 1 ? 10 : 12;
  let header = dict;
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = Buffer.alloc(prefix + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) out.writeUInt16LE(header.length, 8);
  else out.writeUInt32LE(header.length, 8);
  out.write(header, prefix, 'latin1');
  out.set(data, prefix + header.length);
  return new Uint8Array(out);
}

const le32 = (...xs: number[]) => [...Buffer.concat(xs.map((x) => { const b = Buffer.alloc(4); b.writeFloatLE(x); return b; }))];

const dir = tempDir();

describe('.npy round trip', () => {
  const cases: [string, NpyData, number[]][] = [
    ['<f4', Float32Array.from([1.5, -2, 3.25, 1e-30, 7, 8]), [2, 3]],
    ['<f8', Float64Array.from([Math.PI, -Math.E, 1e300]), [3]],
    ['<i4', Int32Array.from([-(2 ** 31), 0, 2 ** 31 - 1, 5]), [2, 1, 2]],
    ['<i8', BigInt64Array.from([-(2n ** 63n), 2n ** 62n + 3n]), [2]],
    ['<f4', Float32Array.from([42]), []],
    ['<f4', new Float32Array(0), [0, 3]],
  ];
  for (const [dtype, data, shape] of cases) {
    it(`${dtype} shape (${shape.join(', ')})`, async () => {
      const path = join(dir, `${dtype.slice(1)}-${shape.length}.npy`);
      await writeNpy(path, data, shape);
      const back = await readNpy(path);
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(back.data.constructor).toBe(data.constructor);
      expect(Array.from(back.data as ArrayLike<number>)).toEqual(Array.from(data as ArrayLike<number>));
    });
  }

  it('writes version 1 with a 64-byte aligned header', () => {
    const bytes = serializeNpy(Float32Array.from([1, 2]), [2]);
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect(bytes[6]).toBe(1);
    expect((10 + headerLen) % 64).toBe(0);
    const header = Buffer.from(bytes.subarray(10, 10 + headerLen)).toString('latin1');
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2,\), \} *\n$/);
    expect(Array.from(bytes.subarray(10 + headerLen))).toEqual(le32(1, 2));
  });

  it('switches to version 2 when the header outgrows 16 bits', () => {
    const shape = new Array(22_000).fill(1);
    const bytes = serializeNpy(Float64Array.from([2.5]), shape);
    expect(bytes[6]).toBe(2);
    const headerLen = new DataView(bytes.buffer).getUint32(8, true);
    expect(headerLen).toBeGreaterThan(65535);
    expect((12 + headerLen) % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back.shape.length).toBe(22_000);
    expect(Array.from(back.data as Float64Array)).toEqual([2.5]);
  });

  it('refuses data that does not fill the shape', () => {
    expect(() => serializeNpy(new Float32Array(5), [2, 3])).toThrow(/5 values for shape \(2, 3\)/);
  });
});

describe('.npy written by hand from the spec', () => {
  it('version 1, float32, C order', () => {
    const arr = parseNpy(npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", le32(1, 2, 3, 4)));
    expect(arr).toEqual({ dtype: '<f4', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) });
  });

  it('version 2, int64, numpy 1.x style header with L suffixes', () => {
    const data = Buffer.alloc(16);
    data.writeBigInt64LE(-7n, 0);
    data.writeBigInt64LE(9n, 8);
    const arr = parseNpy(npyBytes(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2L,), }", data));
    expect(arr.shape).toEqual([2]);
    expect(Array.from(arr.data as BigInt64Array)).toEqual([-7n, 9n]);
  });

  it('keys in another order and float64', () => {
    const data = Buffer.alloc(8);
    data.writeDoubleLE(0.1, 0);
    const arr = parseNpy(npyBytes(1, "{'shape': (1,), 'fortran_order': False, 'descr': '<f8'}", data));
    expect(Array.from(arr.data as Float64Array)).toEqual([0.1]);
  });
});

describe('broken or unsupported .npy files fail with a clear error', () => {
  const f4 = (shape: string) => `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const cases: [string, Uint8Array, RegExp][] = [
    ['no magic', Uint8Array.from(Buffer.from('PK\x03\x04 not numpy at all')), /missing \\x93NUMPY magic/],
    ['unknown version', npyBytes(1, f4('(1,)'), le32(1)).map((b, i) => (i === 6 ? 4 : b)), /unsupported \.npy format version 4/],
    ['header length past the end', npyBytes(1, f4('(1,)'), []).subarray(0, 40), /header length \d+ runs past the end/],
    ['truncated data', npyBytes(1, f4('(3,)'), le32(1, 2)), /data is 8 bytes but shape \(3\) of <f4 needs 12/],
    ['trailing bytes', npyBytes(1, f4('(1,)'), le32(1, 2)), /data is 8 bytes but shape \(1\) of <f4 needs 4/],
    ['big-endian', npyBytes(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", le32(1)), /unsupported dtype '>f4'/],
    ['uint16', npyBytes(1, "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }", le32(1)), /unsupported dtype '<u2'/],
    ['Fortran order', npyBytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", le32(1)), /Fortran-order arrays are not supported/],
    ['garbled header', npyBytes(1, "{'descr': '<f4', 'shape': (1,)}", le32(1)), /malformed header/],
    ['bad dimension', npyBytes(1, f4('(2, x)'), le32(1, 2)), /bad dimension "x"/],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => {
      expect(() => parseNpy(bytes, 'emb.npy')).toThrow(message);
      expect(() => parseNpy(bytes, 'emb.npy')).toThrow(/^emb\.npy/);
    });
  }

  it('a truncated file on disk', async () => {
    const path = join(dir, 'cut.npy');
    const good = serializeNpy(Float32Array.from([1, 2, 3, 4]), [4]);
    writeFileSync(path, good.subarray(0, good.length - 1));
    await expect(readNpy(path)).rejects.toMatchObject({ code: 'E_NPY', file: path });
  });
});
