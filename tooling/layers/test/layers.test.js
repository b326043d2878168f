import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importViolations, manifestViolations, mayDepend } from '../index.js';

// A tiny workspace written here, with imports against the layers, so the
// check is seen to fail on them (and to pass the allowed ones).
const root = mkdtempSync(join(tmpdir(), 'lmrec-layers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
function pkg(name, dir, files) {
  write(`${dir}/package.json`, JSON.stringify({ name, type: 'module', exports: { '.': { source: './src/index.ts' } } }));
  for (const [file, text] of Object.entries(files)) write(`${dir}/${file}`, text);
  mkdirSync(join(root, 'node_modules', '@lmrec'), { recursive: true });
  symlinkSync(join(root, dir), join(root, 'node_modules', name), 'dir');
}

pkg('@lmrec/core', 'packages/core', { 'src/index.ts': "import { fit } from '@lmrec/recsys';\nexport const core = () => fit;\n" });
pkg('@lmrec/recsys', 'packages/recsys', { 'src/index.ts': "import { core } from '@lmrec/core';\nexport const fit = () => core;\n" });
pkg('@lmrec/encoders', 'packages/encoders', { 'src/index.ts': "export { inner } from './inner.js';\n", 'src/inner.ts': 'export const inner = 1;\n' });
pkg('@lmrec/datasets', 'packages/datasets', { 'src/index.ts': "import { inner } from '../../encoders/src/inner.js';\nexport const d = inner;\n" });
pkg('@lmrec/testing', 'packages/testing', { 'src/index.ts': "import { core } from '@lmrec/core';\nexport const contract = core;\n" });
pkg('@lmrec/eval', 'packages/eval', {
  'src/index.ts': "import { contract } from '@lmrec/testing';\nexport const metric = contract;\n",
  // allowed: a test imports @lmrec/testing and its own package's entry
  'test/metric.test.ts': "import { contract } from '@lmrec/testing';\nimport { metric } from '../src/index.js';\nexport const t = [contract, metric];\n",
});
pkg('@lmrec/adapt', 'packages/adapt', { 'src/index.ts': "import { fit } from '@lmrec/recsys';\nimport { core } from '@lmrec/core';\nexport const a = [fit, core];\n" });

describe('the import check (dependency-cruiser)', () => {
  const found = importViolations(root);
  const has = async (rule, from, to) => (await found).some((v) => v.rule === rule && v.from === from && (to === undefined || v.to === to));

  it('fails an upward import (core importing recsys) and the cycle it closes', async () => {
    expect(await has('layers:@lmrec/core', 'packages/core/src/index.ts', 'packages/recsys/src/index.ts')).toBe(true);
    const cycle = (await found).find((v) => v.rule === 'no cycles');
    expect(cycle?.cycle).toEqual(expect.arrayContaining(['packages/core/src/index.ts', 'packages/recsys/src/index.ts']));
  });

  it('fails an import within one rank (datasets -> encoders) through a file inside the other package', async () => {
    expect(await has('layers:@lmrec/datasets', 'packages/datasets/src/index.ts', 'packages/encoders/src/inner.ts')).toBe(true);
    expect(await has('entry points only', 'packages/datasets/src/index.ts', 'packages/encoders/src/inner.ts')).toBe(true);
  });

  it('fails a library source importing @lmrec/testing, but not a test doing so', async () => {
    expect(await has('layers:@lmrec/eval', 'packages/eval/src/index.ts', 'packages/testing/src/index.ts')).toBe(true);
    expect((await found).filter((v) => v.from.startsWith('packages/eval/test/'))).toEqual([]);
  });

  it('passes imports along the layers (adapt -> recsys, core; testing -> core)', async () => {
    expect((await found).filter((v) => v.from.startsWith('packages/adapt/') || (v.from.startsWith('packages/testing/') && v.rule !== 'no cycles'))).toEqual([]);
  });
});

describe('the package.json check', () => {
  const manifest = (name, fields) => ({ dir: `packages/${name.split('/')[1]}`, manifest: { name, ...fields } });

  it('fails a dependency against the layers and a dependency cycle', () => {
    const problems = manifestViolations([
      manifest('@lmrec/core', { dependencies: { '@lmrec/recsys': 'workspace:*' } }),
      manifest('@lmrec/recsys', { dependencies: { '@lmrec/core': 'workspace:*', '@lmrec/testing': 'workspace:*' } }),
      manifest('@lmrec/testing', { peerDependencies: { '@lmrec/core': 'workspace:^' } }),
    ]);
    expect(problems.map((p) => p.detail)).toEqual([
      'dependencies of @lmrec/core names @lmrec/recsys',
      'dependencies of @lmrec/recsys names @lmrec/testing',
      '@lmrec/core -> @lmrec/recsys -> @lmrec/core',
      '@lmrec/core -> @lmrec/recsys -> @lmrec/testing -> @lmrec/core',
    ]);
  });

  it('passes the allowed ones: devDependencies on @lmrec/testing and the tooling, peers downwards', () => {
    expect(
      manifestViolations([
        manifest('@lmrec/eval', { peerDependencies: { '@lmrec/core': 'workspace:^' }, devDependencies: { '@lmrec/testing': 'workspace:*', '@lmrec/tsconfig': 'workspace:*' } }),
        manifest('@lmrec/testing', { peerDependencies: { '@lmrec/core': 'workspace:^' } }),
        manifest('@lmrec/core', {}),
      ]),
    ).toEqual([]);
  });

  it('the table: downwards only, never within a rank, testing for tests only, core never on testing', () => {
    expect([mayDepend('@lmrec/adapt', '@lmrec/reindex'), mayDepend('@lmrec/reindex', '@lmrec/alpharec'), mayDepend('@lmrec/recsys', '@lmrec/runner')]).toEqual([true, false, false]);
    expect([mayDepend('@lmrec/eval', '@lmrec/testing', 'dev'), mayDepend('@lmrec/eval', '@lmrec/testing'), mayDepend('@lmrec/core', '@lmrec/testing', 'dev')]).toEqual([true, false, false]);
    expect([mayDepend('lmrec-plugin-x', '@lmrec/core'), mayDepend('@lmrec/testing', '@lmrec/adapt'), mayDepend('@lmrec/testing', '@lmrec/runner')]).toEqual([true, true, false]);
  });
});
