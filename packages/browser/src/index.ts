export { loadBundle, type LoadedBundle, type BundleSource } from './load.js';
export { BundleRecommender, type RecommendRequest, type RecommendAnswer, type RecommendedItem } from './recommender.js';
export { BundleError, type BundleErrorCode } from './errors.js';
export { chooseBackend, softwareWebGl, type BackendName, type BackendOptions } from './backend.js';
export { IntentionEncoder, type EncodedIntention } from './intention.js';
export { parseSafetensors, halfToFloat32, type BundleTensor, type ParsedSafetensors } from './safetensors.js';
export {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  BUNDLE_MODEL,
  BUNDLE_FILE,
  MANIFEST_FILE,
  MANIFEST_KEY,
  TENSORS,
  MAPPING_WEIGHTS,
  checkManifest,
  type BundleManifest,
  type BundleManifestFile,
  type BundleDtype,
  type IntentionSpec,
} from './format.js';
