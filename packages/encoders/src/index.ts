export { hashToken, murmur3 } from './lexical/murmur3.js';
export { lexicalTokens, lexicalFeatures, normalizeText, type LexicalFeatureOptions } from './lexical/tokenize.js';
export { RandomProjection, projectionRow, type ProjectionKind } from './lexical/projection.js';
export { LexicalEncoder, type LexicalEncoderOptions, type LexicalFitState } from './lexical/lexical-encoder.js';
export { l2Normalize } from './util/batch.js';
export { encodersModule, lexicalPlugin } from './module.js';
export { OnnxEncoder, type OnnxEncoderOptions, type Pooling } from './onnx/onnx-encoder.js';
export { poolHidden } from './onnx/pooling.js';
export { buildInputs, type ModelInputs } from './onnx/inputs.js';
