#!/usr/bin/env node
// The pack check: `pnpm pack` every publishable package (examples included),
// check each tarball, install them into a project outside the workspace (from
// the pnpm store, offline when it can), import every entry point (ESM and
// CJS), run the installed `lmrec` bin, load the example plugins by package
// name, and run @lmrec/testing's suites on them with the project's vitest.
// Usage: node scripts/pack-check.mjs [--no-build] [--keep]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { install, run, storePath, writeProject } from './pack-check/project.mjs';
import { checkTarball, publishable } from './pack-check/tarball.mjs';

const root = resolve(import.meta.dirname, '..');
const flags = new Set(process.argv.slice(2));
const started = performance.now();
const results = [];
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

function record(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

function step(name, cmd, args, cwd, expectOut) {
  const r = run(cmd, args, cwd);
  const ok = r.code === 0 && (!expectOut || expectOut.test(r.out));
  record(name, ok, ok ? '' : `exit ${r.code}\n${r.out.trim().split('\n').slice(-15).join('\n')}`);
  return r;
}

if (!flags.has('--no-build')) {
  const built = run('pnpm', ['build', '--output-logs=errors-only'], root);
  if (built.code !== 0) {
    console.error(built.out);
    process.exit(1);
  }
  console.log(`built in ${seconds()} s`);
}

const dirs = ['packages', 'apps', 'examples'].flatMap((top) => readdirSync(join(root, top)).map((d) => `${top}/${d}`)).filter((d) => existsSync(join(root, d, 'package.json')));
const tmp = mkdtempSync(join(tmpdir(), 'lmrec-pack-'));
const tarDir = join(tmp, 'tarballs');
const tarballs = [];
for (const source of publishable(root, dirs)) {
  const { name, version } = source.manifest;
  const packed = run('pnpm', ['pack', '--pack-destination', tarDir], join(root, source.dir));
  const file = join(tarDir, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (packed.code !== 0 || !existsSync(file)) {
    record(`pack ${name}`, false, packed.out);
    continue;
  }
  const { manifest, problems } = checkTarball(file, source);
  record(`pack ${name}`, problems.length === 0, problems.join('; '));
  tarballs.push({ name, file, manifest, dir: source.dir });
}
console.log(`packed ${tarballs.length} packages at ${seconds()} s`);

const project = join(tmp, 'project');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const allowBuilds = Object.fromEntries(
  readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('allowBuilds:')[1]
    .split(/\n\S/)[0]
    .split('\n')
    .map((l) => l.match(/^\s+'?([^':]+)'?:\s*(true|false)/))
    .filter(Boolean)
    .map((m) => [m[1], m[2] === 'true']),
);
writeProject(project, tarballs, rootManifest.devDependencies.vitest, allowBuilds);
const installed = install(project, storePath(root));
record(`install the tarballs outside the workspace (${installed.mode})`, installed.code === 0, installed.code === 0 ? '' : installed.out.split('\n').slice(-20).join('\n'));
if (installed.offlineError) console.log(`  (offline install was not enough: ${installed.offlineError.trim()})`);
console.log(`installed at ${seconds()} s`);

if (installed.code === 0) {
  for (const t of tarballs) {
    const subpaths = Object.keys(t.manifest.exports ?? { '.': t.manifest.main }).filter((p) => p !== './package.json');
    for (const sub of subpaths) {
      const spec = sub === '.' ? t.name : `${t.name}/${sub.slice(2)}`;
      const conditions = JSON.stringify(t.manifest.exports?.[sub] ?? {});
      step(`import ${spec} (ESM)`, 'node', ['--input-type=module', '-e', `const m = await import('${spec}'); if (Object.keys(m).length === 0) throw new Error('no exports');`], project);
      if (conditions.includes('"require"')) step(`require ${spec} (CJS)`, 'node', ['-e', `const m = require('${spec}'); if (Object.keys(m).length === 0) throw new Error('no exports');`], project);
    }
  }
  step('lmrec --help (installed bin)', join(project, 'node_modules', '.bin', 'lmrec'), ['--help'], project, /lmrec/);
  // a config shipped in @lmrec/runner's configs/, reading the ReDIAL sample shipped in @lmrec/datasets' data/
  const config = join(project, 'node_modules', '@lmrec', 'runner', 'configs', 'demo-rta.yaml');
  step('lmrec data stats on a shipped config and the bundled sample', join(project, 'node_modules', '.bin', 'lmrec'), ['data', 'stats', config, '--quiet'], project, /"conversations"[\s\S]*"train": \d+/);
  const listed = step('lmrec plugins loads the example plugins by package name', join(project, 'node_modules', '.bin', 'lmrec'), ['plugins', '--json', '--plugin', 'lmrec-plugin-itemknn', '--plugin', 'lmrec-plugin-attention-pool'], project, /"item-knn"[\s\S]*"attention-pool"|"attention-pool"[\s\S]*"item-knn"/);
  if (listed.code === 0) {
    const origins = JSON.parse(listed.out.slice(listed.out.indexOf('{'))).extensionPoints;
    const origin = (point, name) => origins[point].find((e) => e.name === name)?.origin?.package;
    record('the example plugins carry their package as origin', origin('Recommender', 'item-knn') === 'lmrec-plugin-itemknn' && origin('Aggregator', 'attention-pool') === 'lmrec-plugin-attention-pool');
  }
  writeFileSync(join(project, 'vitest.config.js'), "export default { test: { include: ['*.test.js'], pool: 'forks', testTimeout: 120000 } };\n");
  writeFileSync(join(project, 'contract.test.js'), readFileSync(join(import.meta.dirname, 'pack-check', 'contract.test.js'), 'utf8'));
  step("@lmrec/testing's suites on the installed example plugins (the project's own vitest)", join(project, 'node_modules', '.bin', 'vitest'), ['run'], project, /Tests\s+\d+ passed/);
}

const failed = results.filter((r) => !r.ok).length;
console.log(`pack check: ${results.length - failed} checks passed, ${failed} failed, in ${seconds()} s${failed || flags.has('--keep') ? ` (kept ${tmp})` : ''}`);
if (!failed && !flags.has('--keep')) rmSync(tmp, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
