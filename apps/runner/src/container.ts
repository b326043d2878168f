import * as adapt from '@lmrec/adapt';
import * as alpharec from '@lmrec/alpharec';
import * as core from '@lmrec/core';
import { createContainer, isContainerModule, loadPlugins, TYPES, type PluginRegistry } from '@lmrec/core';
import * as datasets from '@lmrec/datasets';
import * as encoders from '@lmrec/encoders';
import * as evaluation from '@lmrec/eval';
import * as recsys from '@lmrec/recsys';
import * as reindex from '@lmrec/reindex';
import type { Container, ContainerModule } from 'inversify';

/** Every ContainerModule that lmrec's own packages export. */
export function builtinModules(): ContainerModule[] {
  return [core, datasets, encoders, evaluation, recsys, alpharec, reindex, adapt].flatMap((pkg) =>
    Object.values(pkg as Record<string, unknown>).filter(isContainerModule),
  );
}

export interface Assembled {
  container: Container;
  registry: PluginRegistry;
  plugins: string[];
}

/** One container: lmrec's own plugins plus the packages or files the config names. */
export async function assemble(extraPlugins: readonly string[] = [], cwd = process.cwd()): Promise<Assembled> {
  const container = createContainer();
  await container.load(...builtinModules());
  const plugins = await loadPlugins(container, extraPlugins, cwd);
  return { container, registry: container.get<PluginRegistry>(TYPES.PluginRegistry), plugins };
}
