import { describe, expect, it } from 'vitest';
import { isLmrecError } from '@lmrec/core';
import { parseConfig, withKey } from '../src/config/load.js';

const valid = `name: demo
experiment: cf
dataset:
  loader: alpharec-dir
  options:
    dir: ./data
models:
  - name: mf
    options:
      lr: 0.001
`;

function errorOf(text: string) {
  try {
    parseConfig(text, 'exp.yaml');
  } catch (error) {
    if (isLmrecError(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('config validation', () => {
  it('accepts a valid config and fills defaults', () => {
    const config = parseConfig(valid, 'exp.yaml');
    expect(config.seed).toBe(2024);
    expect(config.models[0]).toEqual({ name: 'mf', options: { lr: 0.001 } });
    expect(config.dataset.split).toEqual({ kind: 'given' });
  });

  it('names a misspelt top-level key, its line and the likely intended key', () => {
    const error = errorOf(valid.replace('models:', 'modles:'));
    expect(error.field).toBe('modles');
    expect(error.line).toBe(7);
    expect(error.message).toContain('exp.yaml');
    expect(error.message).toContain('did you mean "models"');
  });

  it('names a misspelt nested key with its full path', () => {
    const error = errorOf(valid.replace('    options:\n      lr', '    optoins:\n      lr'));
    expect(error.field).toBe('models.0.optoins');
    expect(error.line).toBe(9);
    expect(error.message).toContain('did you mean "options"');
  });

  it('names a value of the wrong type', () => {
    const error = errorOf(`${valid}seed: many\n`);
    expect(error.field).toBe('seed');
    expect(error.line).toBe(11);
  });

  it('rejects an unknown experiment kind', () => {
    const error = errorOf(valid.replace('experiment: cf', 'experiment: cff'));
    expect(error.field).toBe('experiment');
    expect(error.line).toBe(2);
  });

  it('reports YAML syntax errors with a line', () => {
    const error = errorOf('name: x\nexperiment: [cf\n');
    expect(error.code).toBe('E_CONFIG');
    expect(error.line).toBeGreaterThan(0);
  });

  it('sets dotted keys without touching the original', () => {
    const config = parseConfig(valid);
    const changed = withKey(config, 'models.0.options.lr', 0.01);
    expect(changed.models[0].options.lr).toBe(0.01);
    expect(config.models[0].options.lr).toBe(0.001);
  });
});
