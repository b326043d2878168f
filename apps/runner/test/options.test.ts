import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress, isLmrecError, type LmrecError } from '@lmrec/core';
import { loadConfig } from '../src/config/load.js';
import { runConfig } from '../src/run/run.js';
import { runMain } from './cli.js';
import { tempDir } from './fixtures.js';

/** Runs a config that must be rejected before any work: the error, and proof that nothing was written. */
async function rejected(yaml: string): Promise<LmrecError> {
  const dir = tempDir('lmrec-opts-');
  const file = join(dir, 'exp.yaml');
  writeFileSync(file, yaml);
  const out = join(dir, 'out');
  const error = await loadConfig(file)
    .then((loaded) => runConfig(loaded, { output: out, progress: new CapturingProgress(), print: () => {} }))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!isLmrecError(error)) throw new Error(`expected an LmrecError, got ${String(error)}`);
  expect(existsSync(out)).toBe(false);
  expect(error.file).toBe(file);
  return error;
}

const base = `name: o
experiment: cf
dataset:
  loader: redial-sample
  split: { kind: ratio }
`;

describe('every config section is checked against the plugin schemas before any work', () => {
  it('an unknown key in a model\'s options names the file, the line and the likely key', async () => {
    const error = await rejected(`${base}models:\n  - name: alpharec\n    options:\n      hiden: 64\n`);
    expect(error.field).toBe('models.0.options.hiden');
    expect(error.line).toBe(9);
    expect(error.message).toContain('did you mean "hidden"?');
  });

  it('an unknown key in the dataset loader options', async () => {
    const error = await rejected(`name: o\nexperiment: cf\ndataset:\n  loader: alpharec\n  options: { dir: ./d, embedings: x.npy }\nmodels: [{ name: popularity }]\n`);
    expect(error.field).toBe('dataset.options.embedings');
    expect(error.line).toBe(5);
    expect(error.message).toContain('did you mean "embeddings"?');
  });

  it('a wrong type fails before training', async () => {
    const error = await rejected(`${base}models:\n  - { name: mf, options: { lr: fast } }\n`);
    expect(error.field).toBe('models.0.options.lr');
    expect(error.line).toBe(7);
  });

  it('encoder, backbone, aggregator and gating recommender options', async () => {
    expect((await rejected(`${base}encoder: { name: lexical, options: { dimm: 8 } }\nmodels: [{ name: popularity }]\n`)).field).toBe('encoder.options.dimm');
    const rta = `name: r\nexperiment: rta\ndataset: { loader: redial-sample }\n`;
    expect((await rejected(`${rta}backbone: { name: lexical, options: { queryScal: 3 } }\n`)).message).toContain('did you mean "queryScale"?');
    expect((await rejected(`${rta}study: { aggregator: { name: rnn, options: { hiden: 4 } } }\n`)).field).toBe('study.aggregator.options.hiden');
    const gating = await rejected(`${rta}study:\n  recommenders:\n    FISM: { plugin: fism, options: { dimm: 8 } }\n`);
    expect(gating.field).toBe('study.recommenders.FISM.options.dimm');
    expect(gating.line).toBe(6);
    expect((await rejected(`${rta}study: { aggregators: [sum] }\n`)).message).toContain('unknown key "study.aggregators"');
  });

  it('each experiment kind\'s study section has its own strict schema', async () => {
    const intention = await rejected(`name: i\nexperiment: intention\ndataset: { loader: redial-sample, split: { kind: ratio } }\nmodels: [{ name: alpharec }]\nstudy: { alphs: [0, 1] }\n`);
    expect(intention.message).toContain('unknown key "study.alphs" (did you mean "alphas"?)');
    expect(intention.line).toBe(5);
    const range = await rejected(`name: i\nexperiment: intention\ndataset: { loader: redial-sample, split: { kind: ratio } }\nmodels: [{ name: alpharec }]\nstudy: { alphas: [0, 2] }\n`);
    expect(range.field).toBe('study.alphas.1');
    const rta = await rejected(`name: r\nexperiment: rta\ndataset: { loader: redial-sample }\nstudy:\n  reindex: { maxEpoch: 2 }\n`);
    expect(rta.message).toContain('did you mean "maxEpochs"?');
    expect((await rejected(`name: r\nexperiment: rta\ndataset: { loader: redial-sample }\nstudy: { variants: [Reindx] }\n`)).message).toContain('did you mean "Reindex"?');
  });

  it('eval.baseline must name a row, eval.metric a metric', async () => {
    const error = await rejected(`${base}models: [{ name: popularity, label: Popularity }, { name: mf, label: MF }]\neval: { baseline: Populrity }\n`);
    expect(error.field).toBe('eval.baseline');
    expect(error.message).toContain('did you mean "Popularity"?');
    expect((await rejected(`${base}models: [{ name: popularity }]\neval: { metric: recal@20 }\n`)).message).toContain('did you mean "recall@20"?');
  });

  it('a section the experiment kind does not read is an error, not silently ignored', async () => {
    const error = await rejected(`name: r\nexperiment: rta\ndataset: { loader: redial-sample }\nmodels: [{ name: mf }]\n`);
    expect(error.field).toBe('models');
    expect(error.message).toContain('the rta experiment does not use "models"');
  });

  it('a row label is a key of its own, not an encoder option', async () => {
    const lm = `name: lm\nexperiment: linear-mapping\ndataset: { loader: redial-sample, split: { kind: ratio } }\n`;
    expect((await rejected(`${lm}encoders: [{ name: lexical, options: { label: small, dim: 8 } }]\n`)).field).toBe('encoders.0.options.label');
    expect((await rejected(`${lm}encoders: [{ name: lexical, label: a }, { name: lexical, label: a, options: { dim: 8 } }]\n`)).message).toContain('encoders.0 (line 4) and encoders.1 (line 4) have the same label "a"');
  });
});

describe('lmrec plugins <name>', () => {
  it('prints a plugin\'s options with types, defaults, docs and its dependencies', async () => {
    const { code, stdout } = await runMain(['plugins', 'Recommender', 'alpharec']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Recommender "alpharec" \(@lmrec\/alpharec@\d+\.\d+\.\d+\)/);
    expect(stdout).toMatch(/hidden\s+integer\s+optional\s+hidden width of the MLP's first layer/);
    expect(stdout).toMatch(/selectOn\s+"valid" \| "test"/);
    expect(stdout).toContain('uses when present: lmrec.dep.ItemEmbeddings, lmrec.dep.TextEncoder');
    const lexical = await runMain(['plugins', 'lexical']);
    expect(lexical.stdout).toContain('TextEncoder "lexical"');
    expect(lexical.stdout).toContain('Backbone "lexical"');
    expect(lexical.stdout).toMatch(/dim\s+integer\s+optional\s+output size with a projection \(default 256\)/);
    const json = JSON.parse((await runMain(['plugins', 'DatasetLoader', 'alpharec', '--json'])).stdout);
    expect(json[0].options.find((o: { key: string }) => o.key === 'dir')).toMatchObject({ type: 'string', required: true, path: true });
  });

  it('an unknown name is a usage error with a did-you-mean', async () => {
    const { code, stderr } = await runMain(['plugins', 'alpharek']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^lmrec plugins: no plugin named "alpharek" \(did you mean "alpharec"\?\)/);
  });
});
