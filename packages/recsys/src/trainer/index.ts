export type { TrainableModel, Sampler, StepContext, EvalScorer, OptimizerConfig, OptimizerName, Evaluator, EvalResultLike, EpochRecord, TrainResult } from './types.js';
export { Trainer, defaultEvaluator, type TrainerOptions } from './trainer.js';
export { AdamOptimizer } from './optimizer.js';
export { InteractionSampler, UserSampler, type InteractionBatch, type InteractionSamplerOptions, type UserBatch } from './samplers.js';
export { writeCheckpoint, readLatestCheckpoint, toHost, fromHost, withHostTensors, type Checkpoint, type TrainerState, type HostState } from './checkpoint.js';
