import { promises as fs } from 'node:fs';
import { LmrecError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';

export type NpyDtype = '<f4' | '<f8' | '<i4' | '<i8';
export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const BYTES: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8, '<i4': 4, '<i8': 8 };
const ALIASES: Record<string, NpyDtype> = { '<f4': '<f4', '<f8': '<f8', '<i4': '<i4', '<i8': '<i8', '|f4': '<f4', '|i4': '<i4' };

/**
 * Parse a .npy file (format versions 1, 2 and 3; little-endian float32/64 and
 * int32/64; C order). Fortran order and big-endian data are refused with a
 * clear error rather than silently transposed or byte-swapped.
 */
export function parseNpy(bytes: Uint8Array, file = '<buffer>'): NpyArray {
  const fail = (message: string, field?: string): never => {
    throw new LmrecError('E_NPY', message, { file, field });
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (missing \\x93NUMPY magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated version 2 header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    return fail(`unsupported .npy format version ${major}`);
  }
  if (headerStart + headerLen > bytes.length) fail(`header length ${headerLen} runs past the end of the file`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(`malformed header: ${header.trim()}`);
  const dtype = ALIASES[descr!];
  if (!dtype) fail(`unsupported dtype '${descr}' (supported: little-endian f4, f8, i4, i8)`, 'descr');
  if (fortran === 'True') fail('Fortran-order arrays are not supported; save with np.ascontiguousarray', 'fortran_order');
  const shape = shapeText!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) fail(`bad dimension "${s}"`, 'shape');
      return n;
    });
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLen;
  const expected = count * BYTES[dtype];
  if (bytes.length - dataStart !== expected) {
    fail(`data is ${bytes.length - dataStart} bytes but shape (${shape.join(', ')}) of ${dtype} needs ${expected}`);
  }
  // A copy: aligned for the typed array, and not a view on a whole Buffer.
  const copy = new Uint8Array(expected);
  copy.set(bytes.subarray(dataStart, dataStart + expected));
  const raw = copy.buffer;
  const data = dtype === '<f4' ? new Float32Array(raw) : dtype === '<f8' ? new Float64Array(raw) : dtype === '<i4' ? new Int32Array(raw) : new BigInt64Array(raw);
  return { dtype, shape, data };
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  return '<i8';
}

/** Serialise as .npy: version 1 unless the header needs more than 65535 bytes. */
export function serializeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new LmrecError('E_SHAPE', `npy: ${data.length} values for shape (${shape.join(', ')})`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtypeOf(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Version 1 stores the header length in 16 bits; the padded header (to a
  // multiple of 64 bytes with the prefix) must fit.
  const padded = (prefix: number) => dict.length + 1 + ((64 - ((prefix + dict.length + 1) % 64)) % 64);
  const v1 = padded(10) <= 65535;
  const prefix = v1 ? 10 : 12;
  dict += ' '.repeat(padded(prefix) - dict.length - 1) + '\n';
  const headerBytes = new TextEncoder().encode(dict);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(prefix + headerBytes.length + body.length);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, prefix);
  out.set(body, prefix + headerBytes.length);
  return out;
}

export async function readNpy(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read .npy file: ${(error as Error).message}`, { file: path, cause: error });
  }
  return parseNpy(bytes, path);
}

export async function writeNpy(path: string, data: NpyData, shape: readonly number[]): Promise<void> {
  await writeFileAtomic(path, serializeNpy(data, shape));
}
