import { LmrecError } from '@lmrec/core';
import type { ExperimentKind, RunConfig } from '../config/schema.js';

type Section = 'datasets' | 'encoder' | 'encoders' | 'backbone' | 'models' | 'trainer' | 'eval.metric' | 'eval.excludeMentioned' | 'search';

const CF_LIKE: Section[] = ['models', 'trainer', 'eval.metric', 'search'];

/** The optional config sections each experiment kind reads; any other one set is an error, never silently ignored. */
const USES: Record<ExperimentKind, Section[]> = {
  cf: [...CF_LIKE, 'encoder'],
  'linear-mapping': [...CF_LIKE, 'encoders'],
  'zero-shot': [...CF_LIKE, 'encoder', 'datasets'],
  intention: ['models', 'trainer', 'eval.metric', 'encoder'],
  rta: ['backbone', 'eval.excludeMentioned'],
  'rta-aggregators': ['backbone'],
};

/** Sections a kind cannot run without. */
const NEEDS: Partial<Record<ExperimentKind, Section[]>> = { cf: ['models'], 'zero-shot': ['models', 'datasets'], intention: ['models'] };

function isSet(config: RunConfig, section: Section): boolean {
  switch (section) {
    case 'datasets':
      return config.datasets.length > 0;
    case 'encoders':
      return config.encoders.length > 0;
    case 'models':
      return config.models.length > 0;
    case 'trainer':
      return Object.values(config.trainer).some((v) => v !== undefined);
    case 'eval.metric':
      return config.eval.metric !== undefined;
    case 'eval.excludeMentioned':
      return config.eval.excludeMentioned !== undefined;
    default:
      return config[section] !== undefined;
  }
}

export function checkSections(config: RunConfig, file: string, lineOf?: (dotted: string) => number | undefined): void {
  const kind = config.experiment;
  for (const section of ['datasets', 'encoder', 'encoders', 'backbone', 'models', 'trainer', 'eval.metric', 'eval.excludeMentioned', 'search'] as Section[]) {
    if (isSet(config, section) && !USES[kind].includes(section)) {
      throw new LmrecError('E_CONFIG', `the ${kind} experiment does not use "${section}"; remove it (it would be ignored)`, { file, field: section, line: lineOf?.(section) });
    }
  }
  for (const section of NEEDS[kind] ?? []) {
    if (!isSet(config, section)) throw new LmrecError('E_CONFIG', `the ${kind} experiment needs "${section}"`, { file, field: section, line: lineOf?.(section) ?? lineOf?.('experiment') });
  }
}
