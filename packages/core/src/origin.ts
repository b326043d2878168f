import { name, version } from '../package.json';
import type { PluginOrigin } from './interfaces/plugin.js';

/** This package as the origin of its plugins. */
export const CORE_ORIGIN: PluginOrigin = { package: name, version };
