import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendName, type BackendOptions } from './backend.js';
import { BundleError } from './errors.js';
import { BUNDLE_FILE, checkManifest, MANIFEST_FILE, MANIFEST_KEY, MAPPING_WEIGHTS, TENSORS, type BundleManifest, type BundleManifestFile } from './format.js';
import { IntentionEncoder } from './intention.js';
import { MappingOnTf } from './mlp.js';
import { BundleRecommender } from './recommender.js';
import { parseSafetensors, type BundleTensor } from './safetensors.js';

export interface LoadedBundle extends BundleRecommender {
  backend: BackendName;
}

export type BundleSource = string | URL | ArrayBuffer | Uint8Array | Blob;

/**
 * A bundle from a URL (of manifest.json, of bundle.safetensors, or of the
 * folder holding both) or from bytes (a dropped file). From a URL the
 * bundle's size and sha256 are checked against manifest.json; bytes carry
 * their manifest inside the safetensors header.
 */
export async function loadBundle(source: BundleSource, options: BackendOptions & { fetch?: typeof fetch } = {}): Promise<LoadedBundle> {
  const { buffer, expected } = await bundleBytes(source, options.fetch ?? globalThis.fetch);
  if (expected) await checkAgainst(buffer, expected);
  const parsed = parseSafetensors(buffer);
  const raw = parsed.metadata[MANIFEST_KEY];
  if (raw === undefined) throw new BundleError('E_BUNDLE_FORMAT', 'this safetensors file is not an lmrec bundle (no manifest in its header)', { hint: 'make one with `lmrec bundle <run-dir> --out <dir>`' });
  const manifest = checkManifest(JSON.parse(raw));
  const backend = await chooseBackend(options);
  return Object.assign(build(manifest, parsed.tensors), { backend }) as LoadedBundle;
}

function build(manifest: BundleManifest, tensors: Map<string, BundleTensor>): BundleRecommender {
  const need = (name: string, shape: number[]): BundleTensor => {
    const t = tensors.get(name);
    if (!t) throw new BundleError('E_BUNDLE_FORMAT', `the bundle has no tensor "${name}"`, { field: name });
    if (t.shape.join('x') !== shape.join('x')) throw new BundleError('E_BUNDLE_FORMAT', `tensor "${name}" is [${t.shape}], expected [${shape}]`, { field: name });
    return t;
  };
  const { nItems, inDim, outDim, hidden, layers } = manifest;
  const shapes: Record<string, number[]> = { w1: [inDim, hidden], b1: [hidden], w2: [hidden, outDim], b2: [outDim], w: [inDim, outDim] };
  const weights = Object.fromEntries(MAPPING_WEIGHTS[manifest.mapping].map((w) => [w, need(TENSORS.mapping(w), shapes[w]) as { shape: number[]; data: Float32Array }]));
  const final = need(TENSORS.final, [nItems, outDim]).data as Float32Array;
  const itemsT = tf.tidy(() => tf.transpose(tf.tensor2d(final, [nItems, outDim]))) as tf.Tensor2D;
  const state = {
    language: need(TENSORS.language, [nItems, inDim]).data as Float32Array,
    layers: Array.from({ length: layers }, (_, l) => need(TENSORS.layer(l), [nItems, outDim]).data as Float32Array),
    degree: need(TENSORS.degree, [nItems]).data as Int32Array,
    itemsT,
  };
  const spec = manifest.intention;
  const intention = spec
    ? new IntentionEncoder(
        spec,
        need(TENSORS.vocabVectors, [spec.words.length, inDim]).data as Float32Array,
        inDim,
        spec.pooling === 'sif' ? (need(TENSORS.vocabWeights, [spec.words.length]).data as Float32Array) : undefined,
        tensors.has(TENSORS.vocabPc) ? (need(TENSORS.vocabPc, [inDim]).data as Float32Array) : undefined,
      )
    : undefined;
  return new BundleRecommender(manifest, new MappingOnTf(manifest, weights), state, intention);
}

async function bundleBytes(source: BundleSource, fetcher: typeof fetch): Promise<{ buffer: ArrayBuffer; expected?: BundleManifestFile }> {
  if (source instanceof ArrayBuffer) return { buffer: source };
  if (source instanceof Uint8Array) return { buffer: source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer };
  if (typeof Blob !== 'undefined' && source instanceof Blob) return { buffer: await source.arrayBuffer() };
  const url = new URL(String(source), globalThis.location?.href);
  const path = url.pathname;
  if (path.endsWith('.safetensors')) return { buffer: await fetchBytes(fetcher, url) };
  const manifestUrl = path.endsWith('.json') ? url : new URL(path.endsWith('/') ? MANIFEST_FILE : `${path.split('/').pop()}/${MANIFEST_FILE}`, url);
  const response = await fetchOk(fetcher, manifestUrl);
  let expected: BundleManifestFile;
  try {
    expected = (await response.json()) as BundleManifestFile;
  } catch (error) {
    throw new BundleError('E_BUNDLE_FORMAT', `${manifestUrl} is not JSON`, { cause: error });
  }
  checkManifest(expected);
  return { buffer: await fetchBytes(fetcher, new URL(expected.file ?? BUNDLE_FILE, manifestUrl)), expected };
}

async function fetchOk(fetcher: typeof fetch, url: URL): Promise<Response> {
  let response: Response;
  try {
    response = await fetcher(url);
  } catch (error) {
    throw new BundleError('E_BUNDLE_FETCH', `cannot fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new BundleError('E_BUNDLE_FETCH', `fetching ${url} answered ${response.status} ${response.statusText}`);
  return response;
}

async function fetchBytes(fetcher: typeof fetch, url: URL): Promise<ArrayBuffer> {
  const response = await fetchOk(fetcher, url);
  try {
    return await response.arrayBuffer();
  } catch (error) {
    throw new BundleError('E_BUNDLE_TRUNCATED', `the download of ${url} broke off: ${(error as Error).message}`, { cause: error });
  }
}

/** Size first (a cut download says "truncated"), then sha256 where the page has WebCrypto. */
async function checkAgainst(buffer: ArrayBuffer, expected: BundleManifestFile): Promise<void> {
  if (buffer.byteLength !== expected.bytes) {
    throw new BundleError('E_BUNDLE_TRUNCATED', `the bundle is ${buffer.byteLength} bytes, manifest.json says ${expected.bytes}`, { hint: 'the download or copy was cut off; fetch it again' });
  }
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return;
  const digest = new Uint8Array(await subtle.digest('SHA-256', buffer));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== expected.sha256) throw new BundleError('E_BUNDLE_CHECKSUM', `the bundle's sha256 is ${hex.slice(0, 12)}..., manifest.json says ${String(expected.sha256).slice(0, 12)}...`, { hint: 'the file was changed or damaged; bundle the run again' });
}
