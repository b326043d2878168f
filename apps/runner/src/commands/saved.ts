import { existsSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { LmrecError, type Recommender } from '@lmrec/core';
import { validateConfig } from '../config/load.js';
import type { RunConfig } from '../config/schema.js';
import { assemble } from '../container.js';
import { createContext, modelDir, type ExperimentContext } from '../context.js';
import type { TerminalProgress } from '../progress/terminal.js';

export interface SavedRun {
  config: RunConfig;
  ctx: ExperimentContext;
  /** Loads a model the run trained and saved, by its row label. */
  model(label: string): Promise<Recommender>;
  labels: string[];
}

/** A finished run folder: its config, plugins, and the models it saved. */
export async function openRun(dir: string, progress: TerminalProgress): Promise<SavedRun> {
  const root = resolve(dir);
  const file = join(root, 'config.json');
  if (!existsSync(file)) throw new LmrecError('E_ARGUMENT', `${root} is not an lmrec run folder (no config.json)`);
  const config = validateConfig(JSON.parse(await fs.readFile(file, 'utf8')), file);
  const { registry } = await assemble(config.plugins, root);
  const ctx = createContext(config, root, root, registry, progress);
  const labels = config.models.map((m) => m.label ?? m.name).filter((label) => existsSync(modelDir(root, label)));
  return {
    config,
    ctx,
    labels,
    async model(label) {
      const entry = config.models.find((m) => (m.label ?? m.name) === label);
      if (!entry || !labels.includes(label)) {
        throw new LmrecError('E_ARGUMENT', `no saved model "${label}" in ${root}`, { field: 'model', hint: labels.length ? `saved: ${labels.join(', ')}` : 'this run saved no models' });
      }
      const model = registry.create<Recommender>('Recommender', entry.name, { ...entry.options });
      await model.load(modelDir(root, label));
      return model;
    },
  };
}
