import { promises as fs } from 'node:fs';
import { LmrecError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './half.js';

export type SafeDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const DTYPE_BYTES: Record<SafeDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export type SafeData = Float32Array | Float64Array | Int32Array | BigInt64Array | Int16Array | Int8Array | Uint8Array;

/**
 * A tensor as stored. F16 / BF16 are decoded to Float32Array on read and
 * encoded from float values on write; I64 is a BigInt64Array.
 */
export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  data: SafeData;
}

export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAX_HEADER = 100 * 1024 * 1024;

/** Parse safetensors bytes, validating the header against the buffer. */
export function parseSafetensors(bytes: Uint8Array, file = '<buffer>'): SafetensorsFile {
  const fail = (message: string, field?: string): never => {
    throw new LmrecError('E_SAFETENSORS', message, { file, field });
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER) fail(`header length ${headerLen} exceeds ${MAX_HEADER} bytes`);
  if (8 + headerLen > bytes.length) fail(`header length ${headerLen} runs past the end of the ${bytes.length}-byte file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (error) {
    return fail(`header is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('header is not a JSON object');
  const header = parsed as Record<string, any>;
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = header.__metadata__ ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || !Object.values(metadata).every((v) => typeof v === 'string')) {
    fail('__metadata__ must map strings to strings', '__metadata__');
  }
  const spans: { name: string; begin: number; end: number }[] = [];
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const dtype = info?.dtype as SafeDtype;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) fail(`unsupported dtype ${JSON.stringify(info?.dtype)}`, name);
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((s: unknown) => Number.isInteger(s) && (s as number) >= 0)) fail('shape is not a list of non-negative integers', name);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o: unknown) => Number.isInteger(o) && (o as number) >= 0)) {
      fail('data_offsets must be [begin, end]', name);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`data_offsets [${begin}, ${end}] end before they begin`, name);
    if (end > dataLen) fail(`data_offsets [${begin}, ${end}] run past the end of the data (${dataLen} bytes)`, name);
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    if (end - begin !== count * DTYPE_BYTES[dtype]) {
      fail(`holds ${end - begin} bytes but shape [${shape}] of ${dtype} needs ${count * DTYPE_BYTES[dtype]}`, name);
    }
    spans.push({ name, begin, end });
    tensors[name] = { dtype, shape, data: decode(dtype, bytes, dataStart + begin, count) };
  }
  spans.sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].begin < spans[i - 1].end) fail(`tensors "${spans[i - 1].name}" and "${spans[i].name}" overlap`, spans[i].name);
  }
  return { tensors, metadata };
}

function decode(dtype: SafeDtype, bytes: Uint8Array, offset: number, count: number): SafeData {
  const n = count * DTYPE_BYTES[dtype];
  // Copy so the result is aligned and independent of the file buffer (a
  // Buffer's slice() would be a view on the whole file).
  const raw = new Uint8Array(n);
  raw.set(bytes.subarray(offset, offset + n));
  const view = new DataView(raw.buffer);
  if (LITTLE_ENDIAN) {
    switch (dtype) {
      case 'F64': return new Float64Array(raw.buffer);
      case 'F32': return new Float32Array(raw.buffer);
      case 'I64': return new BigInt64Array(raw.buffer);
      case 'I32': return new Int32Array(raw.buffer);
      case 'I16': return new Int16Array(raw.buffer);
      default: break;
    }
  }
  switch (dtype) {
    case 'F64': return Float64Array.from({ length: count }, (_, i) => view.getFloat64(i * 8, true));
    case 'F32': return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
    case 'F16': return Float32Array.from({ length: count }, (_, i) => halfToFloat(view.getUint16(i * 2, true)));
    case 'BF16': return Float32Array.from({ length: count }, (_, i) => bf16ToFloat(view.getUint16(i * 2, true)));
    case 'I64': return BigInt64Array.from({ length: count }, (_, i) => view.getBigInt64(i * 8, true));
    case 'I32': return Int32Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
    case 'I16': return Int16Array.from({ length: count }, (_, i) => view.getInt16(i * 2, true));
    case 'I8': return new Int8Array(raw.buffer);
    case 'U8':
    case 'BOOL': return raw;
  }
}

function encode(tensor: SafeTensor, name: string): Uint8Array {
  const { dtype, data } = tensor;
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new LmrecError('E_SAFETENSORS', `has ${data.length} values but shape [${tensor.shape}] needs ${count}`, { field: name });
  }
  const out = new Uint8Array(count * DTYPE_BYTES[dtype]);
  const view = new DataView(out.buffer);
  const num = (i: number) => Number(data[i]);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F64': view.setFloat64(i * 8, num(i), true); break;
      case 'F32': view.setFloat32(i * 4, num(i), true); break;
      case 'F16': view.setUint16(i * 2, floatToHalf(num(i)), true); break;
      case 'BF16': view.setUint16(i * 2, floatToBf16(num(i)), true); break;
      case 'I64': view.setBigInt64(i * 8, typeof data[i] === 'bigint' ? (data[i] as bigint) : BigInt(num(i)), true); break;
      case 'I32': view.setInt32(i * 4, num(i), true); break;
      case 'I16': view.setInt16(i * 2, num(i), true); break;
      case 'I8': view.setInt8(i, num(i)); break;
      case 'U8':
      case 'BOOL': view.setUint8(i, num(i)); break;
    }
  }
  return out;
}

/** Serialise tensors (in key order) with an 8-byte-aligned header. */
export function serializeSafetensors(tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    const blob = encode(tensor, name);
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + blob.length] };
    blobs.push(blob);
    offset += blob.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const blob of blobs) {
    out.set(blob, pos);
    pos += blob.length;
  }
  return out;
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new LmrecError('E_IO', `cannot read safetensors file: ${(error as Error).message}`, { file: path, cause: error });
  }
  return parseSafetensors(bytes, path);
}

export async function writeSafetensors(path: string, tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}

/** Int64 ids as Int32 when they fit (token ids, item ids), else an error. */
export function toInt32(data: SafeData, field = 'tensor'): Int32Array {
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v > 0x7fffffff || v < -0x80000000) {
      throw new LmrecError('E_RANGE', `value ${v} at ${i} does not fit in int32`, { field });
    }
    out[i] = v;
  }
  return out;
}
