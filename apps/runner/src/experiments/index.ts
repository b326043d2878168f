import type { ExperimentRunner } from '../context.js';
import type { RunConfig } from '../config/schema.js';
import { runCf } from './cf.js';
import { runIntention } from './intention.js';
import { runLinearMapping } from './linear-mapping.js';
import { runRta, runRtaAggregators } from './rta.js';
import { runZeroShot } from './zero-shot.js';

/** Experiment kinds a config can name in `experiment`. */
export const EXPERIMENTS: Record<RunConfig['experiment'], ExperimentRunner> = {
  cf: runCf,
  rta: runRta,
  'rta-aggregators': runRtaAggregators,
  'linear-mapping': runLinearMapping,
  'zero-shot': runZeroShot,
  intention: runIntention,
};
