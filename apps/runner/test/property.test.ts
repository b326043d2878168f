import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CapturingProgress } from '@lmrec/core';
import { parseDocument, stringify } from 'yaml';
import { COMMANDS } from '../src/commands/index.js';
import { loadConfig } from '../src/config/load.js';
import { prepareRun, runConfig } from '../src/run/run.js';
import { runMain } from './cli.js';
import { tempDir } from './fixtures.js';

const dir = tempDir('lmrec-prop-');

const BASES = [
  {
    name: 'prop-cf',
    experiment: 'cf',
    seed: 3,
    dataset: { loader: 'alpharec', options: { dir: './data', embeddings: 'vectors.npy' } },
    encoder: { name: 'lexical', options: { dim: 32, charNgrams: [3, 4], idf: true } },
    models: [
      { name: 'mf', label: 'MF', options: { lr: 0.01, dim: 8, negatives: 2 } },
      { name: 'alpharec', label: 'AlphaRec', options: { hidden: 16, tau: 0.2, lossKernel: 'dense' } },
    ],
    trainer: { epochs: 2, batchSize: 64, patience: 3 },
    eval: { ks: [10, 20], metric: 'recall@10', baseline: 'MF' },
  },
  {
    name: 'prop-rta',
    experiment: 'rta',
    dataset: { loader: 'redial-sample' },
    backbone: { name: 'lexical', options: { queryScale: 10, dim: 64 } },
    eval: { ks: [1, 10], excludeMentioned: true },
    study: {
      aggregator: { name: 'rnn', options: { hidden: 16 } },
      variants: ['Reindex'],
      recommenders: { FISM: { plugin: 'fism', options: { dim: 16 } } },
      reindex: { maxEpochs: 2, negatives: 50 },
      bias: { epochs: 2, learningRate: 0.01 },
      maxExamples: { train: 10, test: 5 },
    },
  },
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a mapping key (for typos) and to a scalar or list leaf (for wrong types). */
function paths(value: Json, prefix: (string | number)[] = []): { keys: (string | number)[][]; leaves: (string | number)[][] } {
  const keys: (string | number)[][] = [];
  const leaves: (string | number)[][] = [];
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    value.forEach((v, i) => {
      const sub = paths(v, [...prefix, i]);
      keys.push(...sub.keys);
      leaves.push(...sub.leaves);
    });
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      keys.push([...prefix, k]);
      const sub = paths(v, [...prefix, k]);
      keys.push(...sub.keys);
      leaves.push(...sub.leaves);
    }
  } else {
    leaves.push(prefix);
  }
  return { keys, leaves };
}

const clone = (v: Json): Json => structuredClone(v);
function parentOf(root: Json, path: (string | number)[]): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, Json>;
  return node;
}

/** A value of another type than `v`. */
function otherType(v: Json, pick: number): Json {
  const options: Json[] = typeof v === 'number' ? ['fast', true, [1]] : typeof v === 'string' ? [7, false, ['x']] : typeof v === 'boolean' ? ['yes', 3] : Array.isArray(v) ? ['x', 5] : [1];
  return options[pick % options.length];
}

function editKey(key: string, op: number, at: number, letter: string): string {
  const i = at % (key.length + 1);
  if (op === 0) return key.slice(0, i) + letter + key.slice(i);
  if (op === 1 && key.length > 1) return key.slice(0, Math.min(i, key.length - 1)) + key.slice(Math.min(i, key.length - 1) + 1);
  const j = Math.min(i, key.length - 1);
  return key.slice(0, j) + (key[j] === letter ? letter.toUpperCase() : letter) + key.slice(j + 1);
}

async function cli(file: string) {
  const result = await runMain(['run', file, '--dry-run']);
  return { ...result, lines: result.stderr.trim().split('\n').filter(Boolean) };
}

/** One-line failure naming the file and one of `names`, exit 1, never a stack trace. */
function expectNamed(result: { code: number; lines: string[]; stderr: string }, file: string, names: string[]): void {
  expect(result.code).toBe(1);
  expect(result.lines).toHaveLength(1);
  expect(result.lines[0].startsWith(`lmrec: ${file}, line `)).toBe(true);
  expect(names.some((n) => result.lines[0].includes(`"${n}`) || result.lines[0].includes(`${n}"`)), `${result.lines[0]} names none of ${names.join(', ')}`).toBe(true);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

let counter = 0;
const write = (text: string) => {
  const file = join(dir, `c${counter++}.yaml`);
  writeFileSync(file, text);
  return file;
};

describe('property: malformed configs never run', () => {
  it('a typo in any key, at any depth, is an error naming the key, its file and line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.nat(), fc.nat(2), fc.nat(), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'), async (b, k, op, at, letter) => {
        const base = BASES[b] as unknown as Json;
        const keys = paths(base).keys.filter((p) => typeof p[p.length - 1] === 'string');
        const path = keys[k % keys.length];
        const old = String(path[path.length - 1]);
        const typo = editKey(old, op, at, letter);
        const config = clone(base);
        const parent = parentOf(config, path);
        fc.pre(typo !== old && !(typo in parent) && !/^(__proto__|constructor|prototype)$/.test(typo));
        // study.recommenders keys are free row labels: a changed label is not a typo.
        fc.pre(!(path.includes('recommenders') && path.length === 3));
        parent[typo] = parent[old];
        delete parent[old];
        const file = write(stringify(config));
        expectNamed(await cli(file), file, [typo, path.join('.')]);
      }),
      { numRuns: 120, seed: 1 },
    );
  }, 60_000);

  it('a wrong type anywhere is an error naming the key, before any work', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.nat(), fc.nat(), async (b, l, pick) => {
        const base = BASES[b] as unknown as Json;
        const leaves = paths(base).leaves;
        const path = leaves[l % leaves.length];
        const config = clone(base);
        const parent = parentOf(config, path);
        const key = path[path.length - 1];
        parent[key] = otherType(parent[key], pick);
        const file = write(stringify(config));
        const result = await cli(file);
        expectNamed(result, file, [String(key), path.join('.')]);
      }),
      { numRuns: 120, seed: 2 },
    );
  }, 60_000);

  it('a truncated file either fails naming the file, or runs exactly what it says (nothing ignored)', async () => {
    const seen = { failed: 0, accepted: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.nat(), async (b, cut) => {
        const text = stringify(BASES[b]);
        const truncated = text.slice(0, 1 + (cut % (text.length - 1)));
        const file = write(truncated);
        const result = await cli(file);
        if (result.code !== 0) {
          expect(result.code).toBe(1);
          expect(result.lines).toHaveLength(1);
          expect(result.lines[0].startsWith(`lmrec: ${file}`)).toBe(true);
          expect(result.stderr).not.toMatch(/\n\s+at /);
          seen.failed++;
          return;
        }
        seen.accepted++;
        // Accepted: every value the file holds is in the resolved config, unchanged.
        const { config } = await prepareRun(await loadConfig(file));
        const doc = parseDocument(truncated).toJS() as Json;
        for (const path of paths(doc).leaves) {
          let resolved: unknown = config;
          for (const p of path) resolved = (resolved as Record<string | number, unknown>)?.[p];
          let written: unknown = doc;
          for (const p of path) written = (written as Record<string | number, unknown>)?.[p];
          const expected = path[path.length - 1] === 'dir' ? resolve(dir, String(written)) : written;
          expect(resolved, path.join('.')).toEqual(expected);
        }
      }),
      { numRuns: 150, seed: 3 },
    );
    // Both branches are exercised: cuts that break the file and cuts that leave a shorter valid one.
    expect(seen.failed).toBeGreaterThan(20);
    expect(seen.accepted).toBeGreaterThan(5);
  }, 60_000);
});

describe('property: malformed command lines never run', () => {
  let run = '';
  beforeAll(async () => {
    const file = write(`name: cli\nexperiment: cf\ndataset: { loader: redial-sample, filter: { user: 3 }, split: { kind: ratio } }\nmodels: [{ name: popularity, label: Pop }]\neval: { ks: [10] }\n`);
    run = join(dir, 'run');
    await runConfig(await loadConfig(file), { output: run, progress: new CapturingProgress(), print: () => {} });
  });

  const value = fc.oneof(fc.constantFrom('0', '3', '10', '-1', '1.5', 'abc', '', '99999', '1,2', '2,x', 'test', 'valid', 'tset', 'Pop', 'Nope', '0.5', '2'), fc.string({ maxLength: 4 }));
  const flag = fc.constantFrom('--user', '--history', '--k', '--model', '--alpha', '--intention', '--on', '--ks', '--usr', '--kk', '--include-seen', '--json', '--quiet', '--exclude-mentioned', '--hist', '--modle', '-k', '--conversation');

  it('any arguments: exit 0 with output, or one line + usage (exit 2) / one line (exit 1); an unknown flag is never accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('recommend', 'eval'), fc.array(fc.tuple(flag, value), { maxLength: 4 }), async (command, pairs) => {
        const args = [command, run, ...pairs.flatMap(([f, v]) => (COMMANDS[command].flags[f.replace(/^-+/, '')]?.type === 'boolean' ? [f] : [f, v])), '--quiet'];
        fc.pre(!args.includes('--conversation'));
        const { code, stdout, stderr } = await runMain(args);
        const lines = stderr.trim().split('\n').filter(Boolean);
        expect(stderr).not.toMatch(/\n\s+at /);
        const unknown = pairs.some(([f]) => !(f.replace(/^-+/, '') in COMMANDS[command].flags) && f !== '-k');
        if (unknown) expect(code).toBe(2);
        if (code === 0) {
          expect(stdout.length).toBeGreaterThan(0);
          if (args.includes('--json')) expect(() => JSON.parse(stdout)).not.toThrow();
          const k = pairs.filter(([f]) => f === '--k').pop()?.[1];
          if (command === 'recommend' && k !== undefined) expect(JSON.parse(args.includes('--json') ? stdout : '[]').length ?? 0).toBeLessThanOrEqual(Number(k));
        } else if (code === 2) {
          expect(lines[0]).toMatch(/^lmrec (recommend|eval): /);
          expect(lines[1]).toMatch(/^usage: /);
        } else {
          expect(code).toBe(1);
          expect(lines).toHaveLength(1);
        }
      }),
      { numRuns: 200, seed: 4 },
    );
  }, 60_000);
});
