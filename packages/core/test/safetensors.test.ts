import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, readSafetensors, serializeSafetensors, writeSafetensors, type SafeTensor } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A safetensors file from a header object and raw data bytes, as the format spec lays it out. */
function fileBytes(header: unknown, data: number[] | Uint8Array, headerText = JSON.stringify(header)): Uint8Array {
  const json = Buffer.from(headerText, 'utf8');
  const out = Buffer.alloc(8 + json.length + data.length);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  out.set(data, 8 + json.length);
  return new Uint8Array(out);
}

const dir = tempDir();

describe('safetensors round trip', () => {
  // every value exactly representable in its dtype
  const tensors: Record<string, SafeTensor> = {
    f64: { dtype: 'F64', shape: [2, 2], data: Float64Array.from([Math.PI, -1e300, 0.1, -0]) },
    f32: { dtype: 'F32', shape: [3], data: Float32Array.from([1.5, -2.25, 3.4028234663852886e38]) },
    f16: { dtype: 'F16', shape: [5], data: Float32Array.from([1, -0.5, 65504, 2 ** -24, 0.333251953125]) },
    bf16: { dtype: 'BF16', shape: [1, 3], data: Float32Array.from([1, -3.140625, 2 ** 100]) },
    i64: { dtype: 'I64', shape: [3], data: BigInt64Array.from([0n, -(2n ** 63n), 2n ** 53n + 1n]) },
    i32: { dtype: 'I32', shape: [2], data: Int32Array.from([-(2 ** 31), 2 ** 31 - 1]) },
    i16: { dtype: 'I16', shape: [2], data: Int16Array.from([-32768, 32767]) },
    i8: { dtype: 'I8', shape: [2], data: Int8Array.from([-128, 127]) },
    u8: { dtype: 'U8', shape: [2], data: Uint8Array.from([0, 255]) },
    bool: { dtype: 'BOOL', shape: [3], data: Uint8Array.from([1, 0, 1]) },
    empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
  };

  it('reads back every dtype, shape and the metadata', async () => {
    const path = join(dir, 'all.safetensors');
    await writeSafetensors(path, tensors, { format: 'pt', note: 'é' });
    const file = await readSafetensors(path);
    expect(file.metadata).toEqual({ format: 'pt', note: 'é' });
    expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(file.tensors[name].dtype).toBe(t.dtype);
      expect(file.tensors[name].shape).toEqual(t.shape);
      expect(Array.from(file.tensors[name].data as ArrayLike<number>)).toEqual(Array.from(t.data as ArrayLike<number>));
    }
  });

  it('writes the layout of the spec: u64 header length, 8-byte aligned JSON, packed data in key order', () => {
    const bytes = Buffer.from(serializeSafetensors({ a: tensors.f16, b: tensors.i32 }));
    const n = Number(bytes.readBigUInt64LE(0));
    expect(n % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
    expect(header.a).toEqual({ dtype: 'F16', shape: [5], data_offsets: [0, 10] });
    expect(header.b).toEqual({ dtype: 'I32', shape: [2], data_offsets: [10, 18] });
    expect(bytes.length).toBe(8 + n + 18);
    // F16 1.0 is 0x3c00, little-endian
    expect([bytes[8 + n], bytes[8 + n + 1]]).toEqual([0x00, 0x3c]);
    expect(bytes.readInt32LE(8 + n + 10)).toBe(-(2 ** 31));
  });
});

describe('safetensors written by hand from the spec', () => {
  it('decodes F32, F16, BF16 and I64 bytes', () => {
    const header = {
      __metadata__: { format: 'pt' },
      w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      h: { dtype: 'F16', shape: [2], data_offsets: [8, 12] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [12, 14] },
      pad: { dtype: 'U8', shape: [2], data_offsets: [14, 16] },
      ids: { dtype: 'I64', shape: [1], data_offsets: [16, 24] },
    };
    const data = [
      0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0x40, // 1.0f, 2.5f
      0x00, 0x3c, 0x00, 0xc0, // half 1.0, -2.0
      0x49, 0x40, // bf16 3.140625
      0x07, 0x09,
      0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // -3
    ];
    const file = parseSafetensors(fileBytes(header, data));
    expect(Array.from(file.tensors.w.data as Float32Array)).toEqual([1, 2.5]);
    expect(Array.from(file.tensors.h.data as Float32Array)).toEqual([1, -2]);
    expect(Array.from(file.tensors.b.data as Float32Array)).toEqual([3.140625]);
    expect(Array.from(file.tensors.pad.data as Uint8Array)).toEqual([7, 9]);
    expect(Array.from(file.tensors.ids.data as BigInt64Array)).toEqual([-3n]);
    expect(file.metadata).toEqual({ format: 'pt' });
  });

  it('accepts a header padded with trailing spaces', () => {
    const header = { x: { dtype: 'I32', shape: [], data_offsets: [0, 4] } };
    const file = parseSafetensors(fileBytes(header, [5, 0, 0, 0], `${JSON.stringify(header)}      `));
    expect(file.tensors.x.shape).toEqual([]);
    expect(Array.from(file.tensors.x.data as Int32Array)).toEqual([5]);
  });
});

describe('broken safetensors files fail with a clear error', () => {
  const f32 = (begin: number, end: number, shape = [(end - begin) / 4]) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
  const cases: [string, Uint8Array, RegExp][] = [
    ['shorter than the length prefix', Uint8Array.from([1, 2, 3]), /too short for the 8-byte header length/],
    ['header length past the end', (() => {
      const b = fileBytes({ a: f32(0, 4) }, [0, 0, 0, 0]);
      new DataView(b.buffer).setBigUint64(0, 1000n, true);
      return b;
    })(), /header length 1000 runs past the end of the \d+-byte file/],
    ['absurd header length', (() => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true);
      return b;
    })(), /exceeds/],
    ['header not JSON', fileBytes(null, [], '{"a": '), /header is not valid JSON/],
    ['header not an object', fileBytes([1, 2], []), /not a JSON object/],
    ['unknown dtype', fileBytes({ a: { dtype: 'F8', shape: [1], data_offsets: [0, 1] } }, [0]), /"a".*unsupported dtype "F8"/],
    ['prototype name as dtype', fileBytes({ a: { dtype: 'constructor', shape: [1], data_offsets: [0, 1] } }, [0]), /unsupported dtype/],
    ['bad shape', fileBytes({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /shape is not a list of non-negative integers/],
    ['offsets missing', fileBytes({ a: { dtype: 'F32', shape: [1] } }, [0, 0, 0, 0]), /data_offsets must be \[begin, end\]/],
    ['offsets reversed', fileBytes({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, [0, 0, 0, 0]), /end before they begin/],
    ['offsets past the end', fileBytes({ a: f32(0, 8) }, [0, 0, 0, 0]), /data_offsets \[0, 8\] run past the end of the data \(4 bytes\)/],
    ['byte count not the shape', fileBytes({ a: f32(0, 8, [3]) }, new Array(8).fill(0)), /holds 8 bytes but shape \[3\] of F32 needs 12/],
    ['overlapping tensors', fileBytes({ a: f32(0, 8), b: f32(4, 12) }, new Array(12).fill(0)), /tensors "a" and "b" overlap/],
    ['metadata not strings', fileBytes({ __metadata__: { n: 1 }, a: f32(0, 4) }, [0, 0, 0, 0]), /__metadata__ must map strings to strings/],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        parseSafetensors(bytes, 'model.safetensors');
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: 'LmrecError', code: 'E_SAFETENSORS' });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/^model\.safetensors/);
    });
  }

  it('a truncated real file', async () => {
    const path = join(dir, 'cut.safetensors');
    const good = serializeSafetensors({ a: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    writeFileSync(path, good.subarray(0, good.length - 3));
    await expect(readSafetensors(path)).rejects.toThrow(/cut\.safetensors.*run past the end of the data \(13 bytes\)/);
  });

  it('a missing file', async () => {
    await expect(readSafetensors(join(dir, 'nope.safetensors'))).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('refuses to write data that does not fill the shape', () => {
    expect(() => serializeSafetensors({ a: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } })).toThrow(/has 3 values but shape \[2,2\] needs 4/);
  });
});
