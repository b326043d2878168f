import type { PluginOrigin } from '@lmrec/core';
import { name, version } from '../package.json';

/** This package as the origin of its plugins: runs record it, duplicate names are blamed on it. */
export const ORIGIN: PluginOrigin = { package: name, version };
