import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Container, ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createContainer,
  definePlugin,
  DEPS,
  depsOf,
  isContainerModule,
  loadPlugins,
  pathOption,
  pluginModule,
  pluginsModule,
  PluginRegistry,
  resolveDeps,
  resolvePathOptions,
  TYPES,
} from '../src/index.js';
import { tempDir } from './helpers.js';

class MeanAggregator {
  constructor(readonly dim: number, readonly scale: number) {}
}

const ACME = { package: '@acme/plugins', version: '1.2.3' };
const OTHER = { package: 'other-plugins', version: '0.4.0' };
const registryOf = (container: Container) => container.get<PluginRegistry>(TYPES.PluginRegistry);

const meanPlugin = definePlugin({
  name: 'mean',
  description: 'average of tokens',
  options: z.strictObject({ scale: z.number().positive().default(1).describe('multiplies the mean') }),
  requires: [DEPS.InputDim],
  create: (o, deps) => new MeanAggregator(deps.get<number>(DEPS.InputDim), o.scale),
});
const constant = (name: string, value: unknown) => definePlugin({ name, options: z.strictObject({}), create: () => value });

describe('plugin registry', () => {
  it('creates by extension point and name with validated options and declared dependencies', async () => {
    const container = createContainer();
    await container.load(pluginModule(ACME, 'Aggregator', [meanPlugin]), pluginsModule(ACME, { Metric: [constant('recall', 'r')], Aggregator: [constant('rnn', 'rnn')] }));
    const registry = registryOf(container);
    const mean = registry.create<MeanAggregator>('Aggregator', 'mean', {}, depsOf([[DEPS.InputDim, 8]]));
    expect(mean).toBeInstanceOf(MeanAggregator);
    expect([mean.dim, mean.scale]).toEqual([8, 1]); // the default filled in
    expect(registry.create<MeanAggregator>('Aggregator', 'mean', { scale: 2 }, depsOf([[DEPS.InputDim, 4]])).scale).toBe(2);
    expect(registry.names('Aggregator')).toEqual(['mean', 'rnn']);
    expect(registry.list().Aggregator).toEqual([
      { name: 'mean', description: 'average of tokens', origin: ACME },
      { name: 'rnn', description: undefined, origin: ACME },
    ]);
    expect(registry.list().Backbone).toEqual([]);
  });

  it('an unknown option is an error with a did-you-mean; a wrong type names the key', async () => {
    const container = createContainer();
    await container.load(pluginModule(ACME, 'Aggregator', [meanPlugin]));
    const registry = registryOf(container);
    const deps = depsOf([[DEPS.InputDim, 8]]);
    expect(() => registry.create('Aggregator', 'mean', { scal: 2 }, deps, { field: 'study.aggregator.options' })).toThrow(
      /^field "study\.aggregator\.options\.scal": unknown option of Aggregator "mean" \(did you mean "scale"\?\) \(hint: options: scale\)$/,
    );
    expect(() => registry.create('Aggregator', 'mean', { scale: 'big' }, deps)).toThrow(/^field "scale": Invalid input: expected number, received string \(option of Aggregator "mean"\)$/);
    expect(() => registry.create('Aggregator', 'mean', { scale: -1 }, deps)).toThrow(/^field "scale": Too small.*\(option of Aggregator "mean"\)$/);
    const lines = { 'models.0.options.zzz': 7 };
    expect(() => registry.create('Aggregator', 'mean', { zzz: 1 }, deps, { field: 'models.0.options', file: 'c.yaml', lineOf: (f) => lines[f as keyof typeof lines] })).toThrow(
      /^c\.yaml, line 7, field "models\.0\.options\.zzz": unknown option of Aggregator "mean" \(hint: options: scale\)$/,
    );
  });

  it('a missing dependency names the plugin and the token; an undeclared one is refused', async () => {
    const sneaky = definePlugin({ name: 'sneaky', options: z.strictObject({}), create: (_o, deps) => deps.get(DEPS.Seed) });
    const container = createContainer();
    await container.load(pluginModule(ACME, 'Aggregator', [meanPlugin, sneaky]));
    const registry = registryOf(container);
    expect(() => registry.create('Aggregator', 'mean', {})).toThrow(/Aggregator "mean" needs lmrec\.dep\.InputDim, which this pipeline does not provide/);
    expect(() => registry.create('Aggregator', 'sneaky', {}, depsOf([[DEPS.Seed, 1]]))).toThrow(/reads lmrec\.dep\.Seed without declaring it/);
  });

  it('resolves dependencies from a container, async dynamic values included', async () => {
    const container = new Container();
    container.bind(DEPS.InputDim).toDynamicValue(async () => 16);
    const deps = await resolveDeps(container, meanPlugin);
    expect(new PluginRegistry({ Aggregator: [meanPlugin] }).create<MeanAggregator>('Aggregator', 'mean', {}, deps).dim).toBe(16);
    expect((await resolveDeps(new Container(), meanPlugin)).has(DEPS.InputDim)).toBe(false);
  });

  it('an unknown name lists the known names', () => {
    const registry = new PluginRegistry({ Aggregator: [constant('rnn', 1), constant('mean', 2)] });
    expect(() => registry.get('Aggregator', 'gru')).toThrow(/no Aggregator plugin named "gru" \(hint: known: mean, rnn\)/);
    expect(() => registry.get('Aggregator', 'gru')).toThrow(expect.objectContaining({ code: 'E_PLUGIN_UNKNOWN', field: 'Aggregator' }));
    expect(() => registry.get('Backbone', 'llama')).toThrow(/no Backbone plugins are loaded/);
  });

  it('refuses two plugins with one name under one point, naming both packages (other points may share it)', async () => {
    const container = createContainer();
    await container.load(pluginModule(ACME, 'Aggregator', [constant('mean', 1)]), pluginModule(OTHER, 'Metric', [constant('mean', 2)]));
    expect(registryOf(container).names('Metric')).toEqual(['mean']);
    await container.load(pluginModule(OTHER, 'Aggregator', [constant('mean', 3)]));
    expect(() => registryOf(container)).toThrow(/two Aggregator plugins are named "mean": one from @acme\/plugins@1\.2\.3, one from other-plugins@0\.4\.0/);
  });

  it('refuses a factory without an options schema', () => {
    const bare = { name: 'bare', create: () => 1 } as unknown as ReturnType<typeof constant>;
    expect(() => new PluginRegistry({ Metric: [bare] })).toThrow(/Metric plugin "bare" from \(unknown package\) declares no options schema/);
  });

  it('a registry resolved after more plugins were loaded sees them', async () => {
    const container = createContainer();
    await container.load(pluginModule(ACME, 'Recommender', [constant('pop', 'pop')]));
    expect(registryOf(container).names('Recommender')).toEqual(['pop']);
    await container.load(pluginModule(ACME, 'Recommender', [constant('mf', 'mf')]));
    expect(registryOf(container).names('Recommender')).toEqual(['mf', 'pop']);
  });

  it('describes options with types, defaults, docs and dependencies', () => {
    const registry = new PluginRegistry({ Aggregator: [{ ...meanPlugin, origin: ACME }] });
    expect(registry.describe('Aggregator', 'mean')).toEqual({
      point: 'Aggregator',
      name: 'mean',
      description: 'average of tokens',
      origin: ACME,
      options: [{ key: 'scale', type: 'number', required: false, default: 1, description: 'multiplies the mean' }],
      requires: ['lmrec.dep.InputDim'],
      optional: [],
    });
  });

  it('tells a ContainerModule (any inversify copy) from other values', () => {
    expect(isContainerModule(new ContainerModule(() => undefined))).toBe(true);
    expect(isContainerModule({ id: 7, load: () => undefined })).toBe(true);
    expect(isContainerModule({ id: '7', load: () => undefined })).toBe(false);
    expect(isContainerModule({ load: () => undefined })).toBe(false);
    expect(isContainerModule(null)).toBe(false);
  });
});

describe('path options', () => {
  const schema = z.strictObject({
    dir: pathOption('data folder'),
    files: z.array(pathOption('a file')).optional(),
    name: z.string().default('x'),
    source: z.union([pathOption('a file'), z.strictObject({ url: z.string() })]).optional(),
    nested: z.strictObject({ file: pathOption('nested file').optional() }).default({}),
  });

  it('resolves exactly the options marked as paths against the base folder', () => {
    const parsed = schema.parse({ dir: 'data', files: ['a.txt', '/abs/b.txt'], name: 'rel/not-a-path', source: 's.npy', nested: { file: '../n.json' } });
    expect(resolvePathOptions(schema, parsed, '/cfg/here')).toEqual({
      dir: '/cfg/here/data',
      files: ['/cfg/here/a.txt', '/abs/b.txt'],
      name: 'rel/not-a-path',
      source: '/cfg/here/s.npy',
      nested: { file: '/cfg/n.json' },
    });
    const url = schema.parse({ dir: '/d', source: { url: 'relative/url' } });
    expect(resolvePathOptions(schema, url, '/cfg')).toEqual({ dir: '/d', name: 'x', source: { url: 'relative/url' }, nested: {} });
  });
});

describe('loadPlugins', () => {
  const project = tempDir('lmrec-plugins-');
  // the plugin files import the same inversify and zod lmrec uses, as an installed plugin would
  const require = createRequire(import.meta.url);
  const packageDir = (name: string) => {
    let dir = dirname(require.resolve(name));
    while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) dir = dirname(dir);
    return realpathSync(dir);
  };
  mkdirSync(join(project, 'node_modules', '@acme'), { recursive: true });
  for (const name of ['inversify', 'zod']) symlinkSync(packageDir(name), join(project, 'node_modules', name), 'dir');

  const pluginSource = (point: string, name: string) => `
import { ContainerModule } from 'inversify';
import { z } from 'zod';
export const plugins = new ContainerModule(({ bind }) => {
  bind(Symbol.for('lmrec.${point}')).toConstantValue({
    name: '${name}', origin: { package: 'pkg-${name}', version: '1.0.0' },
    options: z.strictObject({ dim: z.number().default(2) }),
    create: (options) => ({ from: '${name}', options }),
  });
});
export const notAModule = 42;
`;
  writeFileSync(join(project, 'local-plugin.mjs'), pluginSource('Aggregator', 'local-attn'));
  writeFileSync(join(project, 'clash-plugin.mjs'), pluginSource('Aggregator', 'local-attn').replace("'pkg-local-attn'", "'pkg-clash'"));
  // a bare package with "main"
  mkdirSync(join(project, 'node_modules', 'lmrec-plugin-main'));
  writeFileSync(join(project, 'node_modules', 'lmrec-plugin-main', 'package.json'), JSON.stringify({ name: 'lmrec-plugin-main', type: 'module', main: 'entry.js' }));
  writeFileSync(join(project, 'node_modules', 'lmrec-plugin-main', 'entry.js'), pluginSource('TextEncoder', 'main-encoder'));
  // a scoped ESM-only package (exports with only an "import" condition), default export
  const esm = join(project, 'node_modules', '@acme', 'lmrec-esm');
  mkdirSync(join(esm, 'dist'), { recursive: true });
  writeFileSync(join(esm, 'package.json'), JSON.stringify({ name: '@acme/lmrec-esm', type: 'module', exports: { '.': { import: './dist/plugin.js' } } }));
  writeFileSync(join(esm, 'dist', 'plugin.js'), pluginSource('Backbone', 'acme-lm').replace('export const plugins =', 'export default'));
  writeFileSync(join(project, 'empty-plugin.mjs'), 'export const nothing = 1;\n');

  it('loads a file path, a bare package with main and an ESM-only scoped package', async () => {
    const container = createContainer();
    const loaded = await loadPlugins(container, ['./local-plugin.mjs', 'lmrec-plugin-main', '@acme/lmrec-esm'], project);
    expect(loaded).toEqual(['./local-plugin.mjs', 'lmrec-plugin-main', '@acme/lmrec-esm']);
    const registry = registryOf(container);
    expect(registry.create('Aggregator', 'local-attn', { dim: 4 })).toEqual({ from: 'local-attn', options: { dim: 4 } });
    expect(registry.create('TextEncoder', 'main-encoder', {})).toEqual({ from: 'main-encoder', options: { dim: 2 } });
    expect(registry.list().Backbone).toEqual([{ name: 'acme-lm', description: undefined, origin: { package: 'pkg-acme-lm', version: '1.0.0' } }]);
    // an absolute path works too
    const other = createContainer();
    await loadPlugins(other, [join(project, 'local-plugin.mjs')], '/');
    expect(registryOf(other).names('Aggregator')).toEqual(['local-attn']);
  });

  it('a plugin whose name is taken fails at load, naming the file and both packages, and leaves the rest usable', async () => {
    const container = createContainer();
    await loadPlugins(container, ['./local-plugin.mjs'], project);
    await expect(loadPlugins(container, ['./clash-plugin.mjs'], project)).rejects.toThrow(
      /^plugin "\.\/clash-plugin\.mjs": two Aggregator plugins are named "local-attn": one from pkg-local-attn@1\.0\.0, one from pkg-clash@1\.0\.0 \(hint: plugin names must be unique[^()]*\)$/,
    );
    expect(registryOf(container).create('Aggregator', 'local-attn', {})).toEqual({ from: 'local-attn', options: { dim: 2 } });
  });

  it('explains a module without ContainerModule, a bad path and a missing package', async () => {
    const container = createContainer();
    await expect(loadPlugins(container, ['./empty-plugin.mjs'], project)).rejects.toMatchObject({ code: 'E_PLUGIN_MODULE' });
    await expect(loadPlugins(container, ['./nope.mjs'], project)).rejects.toThrow(/cannot import plugin "\.\/nope\.mjs".*hint: check the path/);
    await expect(loadPlugins(container, ['lmrec-plugin-absent'], project)).rejects.toThrow(/hint: install it in the project: pnpm add lmrec-plugin-absent/);
  });

  it('accepts ContainerModules made by another inversify copy (same shape)', async () => {
    const foreign = {
      id: 123456,
      load: async (options: { bind: (t: symbol) => { toConstantValue(v: unknown): void } }) => {
        options.bind(TYPES.Metric).toConstantValue(constant('foreign', 'f'));
      },
    };
    const path = join(project, 'foreign.mjs');
    writeFileSync(path, 'export const m = globalThis.__lmrecForeign;\n');
    (globalThis as Record<string, unknown>).__lmrecForeign = foreign;
    const container = createContainer();
    await loadPlugins(container, [path]);
    expect(registryOf(container).create('Metric', 'foreign', {})).toBe('f');
  });
});
