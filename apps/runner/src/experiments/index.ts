import type { ExperimentKind } from '../config/schema.js';
import type { ExperimentRunner } from '../context.js';
import { runCf } from './cf.js';
import { runIntention } from './intention.js';
import { runLinearMapping } from './linear-mapping.js';
import { runRta, runRtaAggregators } from './rta-kinds.js';
import { runZeroShot } from './zero-shot.js';

/** Experiment kinds a config can name in `experiment`. */
export const EXPERIMENTS: Record<ExperimentKind, ExperimentRunner> = {
  cf: runCf,
  rta: runRta,
  'rta-aggregators': runRtaAggregators,
  'linear-mapping': runLinearMapping,
  'zero-shot': runZeroShot,
  intention: runIntention,
};
