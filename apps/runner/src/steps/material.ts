import type { ExtensionPoint, PluginRegistry } from '@lmrec/core';
import type { Fingerprints } from './fingerprint.js';
import { mapPathOptions } from './path-options.js';

/** What a step key holds of one plugin. */
export interface PluginMaterial {
  plugin: { point: ExtensionPoint; name: string; package: string; version: string };
  /** Options as the plugin's schema resolved them (defaults filled); file and folder options by content fingerprint. */
  options: unknown;
}

export async function pluginMaterial(registry: PluginRegistry, fingerprints: Fingerprints, point: ExtensionPoint, name: string, parsed: Record<string, unknown>): Promise<PluginMaterial> {
  const factory = registry.get(point, name);
  const { origin } = registry.describe(point, name);
  const pending: Promise<void>[] = [];
  const files = new Map<string, unknown>();
  mapPathOptions(factory.options, parsed, (path) => {
    pending.push(fingerprints.of(path).then((fp) => void files.set(path, { files: fp.kind === 'folder' ? fp.files : { [fp.name]: fp.kind === 'file' ? { size: fp.size, sha256: fp.sha256 } : 'missing' } })));
  });
  await Promise.all(pending);
  return {
    plugin: { point, name, package: origin.package, version: origin.version },
    options: mapPathOptions(factory.options, parsed, (path) => files.get(path)),
  };
}
