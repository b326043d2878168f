import { BundleError } from './errors.js';

/** A tensor read from the bundle: floats come back as Float32Array whatever their stored width. */
export interface BundleTensor {
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface ParsedSafetensors {
  tensors: Map<string, BundleTensor>;
  metadata: Record<string, string>;
}

const WIDTH: Record<string, number> = { F32: 4, F16: 2, I32: 4 };

const truncated = (message: string) =>
  new BundleError('E_BUNDLE_TRUNCATED', `the bundle is truncated or damaged: ${message}`, { hint: 'download or copy bundle.safetensors again; its size is in manifest.json' });

/**
 * The safetensors reader of the page (core's reads files with node:fs):
 * header length, JSON header, every tensor's span checked against the
 * buffer, so a cut-off download fails here with a typed error.
 */
export function parseSafetensors(buffer: ArrayBuffer): ParsedSafetensors {
  if (buffer.byteLength < 8) throw truncated(`${buffer.byteLength} bytes, too short for the 8-byte header length`);
  const view = new DataView(buffer);
  const headerLen = Number(view.getBigUint64(0, true));
  if (8 + headerLen > buffer.byteLength) throw truncated(`the header claims ${headerLen} bytes, the file has ${buffer.byteLength}`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(buffer, 8, headerLen)));
  } catch (error) {
    throw new BundleError('E_BUNDLE_FORMAT', `the file is not safetensors (its header is not JSON: ${(error as Error).message})`, { cause: error });
  }
  const start = 8 + headerLen;
  const tensors = new Map<string, BundleTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: [begin, end] } = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const width = WIDTH[dtype];
    if (!width) throw new BundleError('E_BUNDLE_FORMAT', `tensor "${name}" has dtype ${dtype}; bundles hold F32, F16 and I32`, { field: name });
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width) throw new BundleError('E_BUNDLE_FORMAT', `tensor "${name}" spans ${end - begin} bytes for shape [${shape}]`, { field: name });
    if (start + end > buffer.byteLength) throw truncated(`tensor "${name}" ends at byte ${start + end}, the file has ${buffer.byteLength}`);
    tensors.set(name, { shape, data: decode(buffer, start + begin, count, dtype) });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string> | undefined) ?? {} };
}

function decode(buffer: ArrayBuffer, offset: number, count: number, dtype: string): Float32Array | Int32Array {
  if (dtype === 'F16') return halfToFloat32(new Uint16Array(buffer.slice(offset, offset + count * 2)));
  // Typed-array views need aligned offsets; copy the span when it is not.
  const aligned = offset % 4 === 0 ? buffer : buffer.slice(offset, offset + count * 4);
  const at = offset % 4 === 0 ? offset : 0;
  return dtype === 'I32' ? new Int32Array(aligned, at, count) : new Float32Array(aligned, at, count);
}

/** IEEE 754 half -> float32 (subnormals, infinities and NaN included). */
export function halfToFloat32(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}
