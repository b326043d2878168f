export * from './trainer/index.js';
export { gatherRows, pooledRows, dropout, normalTensor, layerNorm, dense } from './nn/ops.js';
export { normalValues, uniformValues, normalVariable, xavierVariable, constantVariable } from './nn/init.js';
export { TrainedRecommender, factorScorer, transposeHost, type TrainConfig, type RecsysFitOptions } from './models/base.js';
export { bprLoss, rowDot } from './models/bpr.js';
export { MfBpr, type MfBprConfig } from './models/mf.js';
