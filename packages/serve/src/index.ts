export { buildApp, type AppOptions } from './app.js';
export { listen, type ListenOptions, type Listening } from './lifecycle.js';
export { PlannedService, ModelRouter, exactService, indexService, type ServiceOptions } from './planned.js';
export { ExactRanker, factorSource, type FactorModel } from './exact.js';
export { IndexRanker, indexSource, type IndexOptions } from './indexed.js';
export { planQuery, inputKinds, sortedUnique } from './plan.js';
export { Batcher, type BatchOptions } from './batcher.js';
export { toErrorReply, fieldOf, type ErrorReply } from './errors.js';
export type { RecommendService, QueryEncoders, QueryPlan, QuerySource, RankedItem, Ranker, ScoreKind } from './service.js';
export {
  recommendRequestSchema,
  RecommendResponseSchema,
  RecommendedItemSchema,
  ItemSchema,
  ModelInfoSchema,
  ModelsResponseSchema,
  HealthSchema,
  ErrorSchema,
  TurnSchema,
  DEFAULT_MAX_K,
  type RecommendRequest,
  type RecommendResponse,
  type ItemInfo,
  type ModelInfo,
  type InputKind,
  type Turn,
} from './schemas.js';
export { ScoreService, type ScoreModel } from './scores.js';
