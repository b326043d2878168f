import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { createContainer, definePlugin, loadPlugins, pluginModule, pluginsModule, PluginRegistry, TYPES, type PluginFactory } from '../src/index.js';
import { tempDir } from './helpers.js';

class MeanAggregator {
  constructor(readonly dim: number) {}
}

const registryOf = (container: ReturnType<typeof createContainer>) => container.get<PluginRegistry>(TYPES.PluginRegistry);

describe('plugin registry', () => {
  it('resolves factories by extension point and name; classes stay usable with new', async () => {
    const container = createContainer();
    await container.load(
      pluginModule('Aggregator', [definePlugin('mean', (o: { dim: number }) => new MeanAggregator(o.dim), 'average of tokens')]),
      pluginsModule({ Metric: [definePlugin('recall', () => 'recall-metric')], Aggregator: [definePlugin('rnn', () => 'rnn')] }),
    );
    const registry = registryOf(container);
    const mean = registry.create<MeanAggregator>('Aggregator', 'mean', { dim: 8 });
    expect(mean).toBeInstanceOf(MeanAggregator);
    expect(mean.dim).toBe(new MeanAggregator(8).dim);
    expect(registry.names('Aggregator')).toEqual(['mean', 'rnn']);
    expect(registry.create('Metric', 'recall', {})).toBe('recall-metric');
    expect(registry.list().Aggregator).toEqual([{ name: 'mean', description: 'average of tokens' }, { name: 'rnn', description: undefined }]);
    expect(registry.list().Backbone).toEqual([]);
  });

  it('an unknown name lists the known names', async () => {
    const container = createContainer();
    await container.load(pluginModule('Aggregator', [definePlugin('rnn', () => 1), definePlugin('mean', () => 2)]));
    const registry = registryOf(container);
    expect(() => registry.get('Aggregator', 'gru')).toThrow(/no Aggregator plugin named "gru" \(hint: known: mean, rnn\)/);
    try {
      registry.get('Aggregator', 'gru');
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_PLUGIN_UNKNOWN', field: 'Aggregator' });
    }
    expect(() => registry.get('Backbone', 'llama')).toThrow(/no Backbone plugins are loaded/);
  });

  it('refuses two plugins with one name under one extension point (other points may share it)', async () => {
    const container = createContainer();
    await container.load(
      pluginModule('Aggregator', [definePlugin('mean', () => 1)]),
      pluginModule('Metric', [definePlugin('mean', () => 2)]),
    );
    expect(registryOf(container).names('Metric')).toEqual(['mean']);
    await container.load(pluginModule('Aggregator', [definePlugin('mean', () => 3)]));
    expect(() => registryOf(container)).toThrow(/two Aggregator plugins are named "mean"/);
  });

  it('a registry resolved after more plugins were loaded sees them', async () => {
    const container = createContainer();
    await container.load(pluginModule('Recommender', [definePlugin('pop', () => 'pop')]));
    expect(registryOf(container).names('Recommender')).toEqual(['pop']);
    await container.load(pluginModule('Recommender', [definePlugin('mf', () => 'mf')]));
    expect(registryOf(container).names('Recommender')).toEqual(['mf', 'pop']);
  });
});

describe('loadPlugins', () => {
  const project = tempDir('lmrec-plugins-');
  // the plugin files import the same inversify lmrec uses, as an installed plugin would
  const inversifyDir = realpathSync(dirname(dirname(createRequire(import.meta.url).resolve('inversify'))));
  mkdirSync(join(project, 'node_modules', '@acme'), { recursive: true });
  symlinkSync(inversifyDir, join(project, 'node_modules', 'inversify'), 'dir');

  const pluginSource = (point: string, name: string) => `
import { ContainerModule } from 'inversify';
export const plugins = new ContainerModule(({ bind }) => {
  bind(Symbol.for('lmrec.${point}')).toConstantValue({ name: '${name}', create: (options) => ({ from: '${name}', options }) });
});
export const notAModule = 42;
`;
  writeFileSync(join(project, 'local-plugin.mjs'), pluginSource('Aggregator', 'local-attn'));
  // a bare package with "main"
  mkdirSync(join(project, 'node_modules', 'lmrec-plugin-main'));
  writeFileSync(join(project, 'node_modules', 'lmrec-plugin-main', 'package.json'), JSON.stringify({ name: 'lmrec-plugin-main', type: 'module', main: 'entry.js' }));
  writeFileSync(join(project, 'node_modules', 'lmrec-plugin-main', 'entry.js'), pluginSource('TextEncoder', 'main-encoder'));
  // a scoped ESM-only package (exports with only an "import" condition), default export
  const esm = join(project, 'node_modules', '@acme', 'lmrec-esm');
  mkdirSync(join(esm, 'dist'), { recursive: true });
  writeFileSync(join(esm, 'package.json'), JSON.stringify({ name: '@acme/lmrec-esm', type: 'module', exports: { '.': { import: './dist/plugin.js' } } }));
  writeFileSync(
    join(esm, 'dist', 'plugin.js'),
    `import { ContainerModule } from 'inversify';\nexport default new ContainerModule(({ bind }) => { bind(Symbol.for('lmrec.Backbone')).toConstantValue({ name: 'acme-lm', create: () => 'lm' }); });\n`,
  );
  writeFileSync(join(project, 'empty-plugin.mjs'), 'export const nothing = 1;\n');

  it('loads a file path, a bare package with main and an ESM-only scoped package', async () => {
    const container = createContainer();
    const loaded = await loadPlugins(container, ['./local-plugin.mjs', 'lmrec-plugin-main', '@acme/lmrec-esm'], project);
    expect(loaded).toEqual(['./local-plugin.mjs', 'lmrec-plugin-main', '@acme/lmrec-esm']);
    const registry = registryOf(container);
    expect(registry.create('Aggregator', 'local-attn', { dim: 4 })).toEqual({ from: 'local-attn', options: { dim: 4 } });
    expect(registry.create('TextEncoder', 'main-encoder', {})).toEqual({ from: 'main-encoder', options: {} });
    expect(registry.create('Backbone', 'acme-lm', {})).toBe('lm');
    // an absolute path works too
    const other = createContainer();
    await loadPlugins(other, [join(project, 'local-plugin.mjs')], '/');
    expect(registryOf(other).names('Aggregator')).toEqual(['local-attn']);
  });

  it('explains a module without ContainerModule, a bad path and a missing package', async () => {
    const container = createContainer();
    await expect(loadPlugins(container, ['./empty-plugin.mjs'], project)).rejects.toMatchObject({ code: 'E_PLUGIN_MODULE' });
    await expect(loadPlugins(container, ['./nope.mjs'], project)).rejects.toThrow(/cannot import plugin "\.\/nope\.mjs".*hint: check the path/);
    await expect(loadPlugins(container, ['lmrec-plugin-absent'], project)).rejects.toThrow(/hint: install it in the project: pnpm add lmrec-plugin-absent/);
  });

  it('accepts ContainerModules made by another inversify copy (same shape)', async () => {
    const foreign = { id: 123456, load: async (options: { bind: (t: symbol) => { toConstantValue(v: PluginFactory): void } }) => {
      options.bind(TYPES.Metric).toConstantValue(definePlugin('foreign', () => 'f'));
    } };
    const path = join(project, 'foreign.mjs');
    writeFileSync(path, 'export const m = globalThis.__lmrecForeign;\n');
    (globalThis as Record<string, unknown>).__lmrecForeign = foreign;
    const container = createContainer();
    await loadPlugins(container, [path]);
    expect(registryOf(container).create('Metric', 'foreign', {})).toBe('f');
    expect(new ContainerModule(() => undefined)).toBeInstanceOf(ContainerModule);
  });
});
