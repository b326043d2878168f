import { isAbsolute, resolve } from 'node:path';
import { resolvePathOptions, type PluginRegistry } from '@lmrec/core';
import { pluginSections } from './sections.js';
import type { RunConfig } from './schema.js';

/**
 * A copy of the config with every file or folder option (as the plugins'
 * schemas mark them), the output folder and plugin module paths made
 * absolute, so a run folder's saved config means the same from anywhere.
 */
export function resolveConfigPaths(config: RunConfig, registry: PluginRegistry, baseDir: string): RunConfig {
  const copy = structuredClone(config);
  for (const section of pluginSections(copy)) {
    if (!registry.has(section.point, section.name)) continue;
    section.set(resolvePathOptions(registry.get(section.point, section.name).options, section.options, baseDir));
  }
  if (copy.output) copy.output = resolve(baseDir, copy.output);
  copy.plugins = copy.plugins.map((p) => (p.startsWith('.') || isAbsolute(p) ? resolve(baseDir, p) : p));
  return copy;
}
