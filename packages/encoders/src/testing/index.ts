/**
 * Test utilities for plugin authors: build tiny real models from code, so the
 * real loading paths run in CI without downloading weights.
 */
export { onnxModel, ONNX_FLOAT, ONNX_INT64, type OnnxTensor, type OnnxNode, type OnnxValue } from './onnx-writer.js';
export { writeGloveJson, randomVectors } from './glove-writer.js';
