export type {
  Trainable,
  TrainableModel,
  TrainingTask,
  Validate,
  Sampler,
  StepInfo,
  StepContext,
  HostStep,
  ParameterGroup,
  EvalScorer,
  OptimizerConfig,
  OptimizerName,
  Evaluator,
  EvalResultLike,
  EpochRecord,
  TrainResult,
} from './types.js';
export { Trainer, defaultEvaluator, cfTask, cfValidation, type TrainerOptions } from './trainer.js';
export { hostValues, assignHost } from './host-values.js';
export { AdamOptimizer, clipByGlobalNorm, checkOptimizerConfig, ADAMW_WEIGHT_DECAY } from './optimizer.js';
export { InteractionSampler, UserSampler, type InteractionBatch, type InteractionSamplerOptions, type UserBatch } from './samplers.js';
export { writeCheckpoint, readLatestCheckpoint, toHost, fromHost, withHostTensors, type Checkpoint, type TrainerState, type HostState } from './checkpoint.js';
export { captureRng, restoreRng, captureStreams, restoreStreams, type RngState } from './rng-state.js';
export { Selection } from './selection.js';
export { ShuffledOrderSampler } from './shuffled-sampler.js';
export { writeModelFiles, readModelFiles, requireTensor, MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE, type ModelMeta } from './model-files.js';
