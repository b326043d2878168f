import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapturingProgress, isLmrecError } from '@lmrec/core';
import { loadConfig, parseConfig, validateConfig } from '../src/config/load.js';
import { withKey } from '../src/config/merge.js';
import { prepareOutput } from '../src/run/output.js';
import { redact, redactUrls } from '../src/run/redact.js';
import { runConfig } from '../src/run/run.js';
import { runSearch } from '../src/search.js';
import { runMain } from './cli.js';
import { tempDir } from './fixtures.js';

const small = `name: s\nexperiment: cf\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\nmodels: [{ name: popularity, label: Popularity }]\neval: { ks: [10] }\n`;

describe('config merging refuses prototype keys', () => {
  it('withKey, YAML keys and search spaces', async () => {
    const config = parseConfig(small);
    for (const key of ['__proto__.polluted', 'models.0.constructor.prototype.polluted', 'prototype', 'eval.__proto__']) {
      expect(() => withKey(config, key, 1), key).toThrow(/is not allowed/);
    }
    expect(() => withKey(config, 'models.0.options', JSON.parse('{"__proto__": {"polluted": 1}}'))).toThrow(/"__proto__" is not allowed/);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(() => parseConfig(`${small}__proto__: { polluted: 1 }\n`, 'p.yaml')).toThrow(/p\.yaml, line 6, field "__proto__": the key "__proto__" is not allowed/);
    expect(() => validateConfig(JSON.parse(`{"name":"x","experiment":"cf","dataset":{"loader":"redial-sample","options":{"constructor":{"a":1}}}}`))).toThrow(/"constructor" is not allowed/);
    const dir = tempDir('lmrec-proto-');
    const file = join(dir, 'search.yaml');
    writeFileSync(file, `${small}search: { space: { __proto__.polluted: [1, 2] } }\n`);
    const error = await runSearch(await loadConfig(file), { output: join(dir, 'out'), progress: new CapturingProgress(), print: () => {} }).catch((e: unknown) => e);
    expect(isLmrecError(error)).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('--output and --fresh stay inside their target', () => {
  it('refuse a filesystem root, a home folder, a project folder and a folder that is not an lmrec run', async () => {
    await expect(prepareOutput('/', { fresh: true })).rejects.toThrow(/refusing to use \/ as a run folder: it is a filesystem root/);
    await expect(prepareOutput(homedir(), { fresh: true })).rejects.toThrow(/home folder/);
    const repo = join(import.meta.dirname, '..', '..', '..');
    await expect(prepareOutput(repo, { fresh: true })).rejects.toThrow(/a project folder|holds the current folder/);
    const mine = tempDir('lmrec-mine-');
    writeFileSync(join(mine, 'thesis.tex'), 'precious');
    await expect(prepareOutput(mine, { fresh: true })).rejects.toThrow(/it is not empty and not an lmrec run folder/);
    await expect(prepareOutput(mine)).rejects.toThrow(/not an lmrec run folder/);
    expect(readFileSync(join(mine, 'thesis.tex'), 'utf8')).toBe('precious');
    const viaCli = await runMain(['run', join(import.meta.dirname, '..', 'configs', 'demo-alpharec.yaml'), '--output', '/', '--fresh', '--quiet']);
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain('refusing to use / as a run folder');
  });

  it('--fresh empties only what lmrec wrote in a run folder', async () => {
    const dir = tempDir('lmrec-fresh-');
    const file = join(dir, 'exp.yaml');
    writeFileSync(file, small);
    const out = join(dir, 'out');
    const loaded = await loadConfig(file);
    await runConfig(loaded, { output: out, progress: new CapturingProgress(), print: () => {} });
    writeFileSync(join(out, 'my-notes.txt'), 'keep me');
    mkdirSync(join(out, 'my-analysis'));
    const progress = new CapturingProgress();
    await runConfig(loaded, { output: out, fresh: true, progress, print: () => {} });
    expect(progress.events.some((e) => e.type === 'log' && e.message.includes('reusing'))).toBe(false);
    expect(readFileSync(join(out, 'my-notes.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['my-analysis', 'results.json', 'steps', 'split-dataset']));
  });
});

describe('secrets never reach results.json or report.html', () => {
  it('redacts secret-named keys and credentials inside URLs', () => {
    expect(redact({ apiKey: 'sk-1', api_key: 'sk-2', accessToken: 't', clientSecret: 's', password: 'p', 'x-api-key': 'k', apiKeyEnv: 'OPENAI_API_KEY', metricKeys: ['recall@10'], maxTokens: 5, tokenizer: 'bpe' })).toEqual({
      apiKey: '[redacted]',
      api_key: '[redacted]',
      accessToken: '[redacted]',
      clientSecret: '[redacted]',
      password: '[redacted]',
      'x-api-key': '[redacted]',
      apiKeyEnv: '[redacted]',
      metricKeys: ['recall@10'],
      maxTokens: 5,
      tokenizer: 'bpe',
    });
    expect(redactUrls('see https://user:pw@example.com/v1?api_key=abc&model=m&access_token=xyz#x')).toBe('see https://[redacted]@example.com/v1?api_key=[redacted]&model=m&access_token=[redacted]#x');
    expect(redactUrls('http://host:8080/path?page=2')).toBe('http://host:8080/path?page=2');
  });

  it('in a real run', async () => {
    const dir = tempDir('lmrec-secret-');
    const file = join(dir, 'exp.yaml');
    // The encoder is named but never built (popularity reads no item vectors), so nothing is contacted.
    writeFileSync(
      file,
      `${small.replace('name: s\n', 'name: s\ndescription: mirror at https://alice:hunter2@data.example.com/x?token=tok123\n')}encoder: { name: openai, options: { baseUrl: 'https://bob:pw999@llm.example.com/v1?api_key=key456', model: m, dim: 8, headers: { Authorization: 'Bearer sk-live-789', x-api-key: key-000 } } }\n`,
    );
    const out = join(dir, 'out');
    await runConfig(await loadConfig(file), { output: out, progress: new CapturingProgress(), print: () => {} });
    for (const name of ['results.json', 'report.html']) {
      const text = readFileSync(join(out, name), 'utf8');
      for (const secret of ['hunter2', 'tok123', 'pw999', 'key456', 'sk-live-789', 'key-000']) expect(text, `${name} holds ${secret}`).not.toContain(secret);
      expect(text).toContain('[redacted]');
    }
  });
});
