import type { PluginOrigin } from '@lmrec/core';
import { name, version } from '../package.json';

/** This package as the origin of its plugins. */
export const RECSYS_ORIGIN: PluginOrigin = { package: name, version };
