// Checks of one packed tarball against its source package.json.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** The exports map without the workspace-only "source" condition (what must be published). */
export function withoutSource(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'source').map(([k, v]) => [k, withoutSource(v)]));
}

function targets(exportsMap) {
  if (typeof exportsMap === 'string') return [exportsMap];
  if (typeof exportsMap !== 'object' || exportsMap === null) return [];
  return Object.values(exportsMap).flatMap(targets);
}

function listTarball(file) {
  return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
}

/**
 * Problems of a tarball (empty = fine): LICENSE + README, no workspace:
 * ranges, exports = the source exports without "source", every entry point
 * shipped, no sources or tests, and the data folders a package needs.
 */
export function checkTarball(file, source) {
  const problems = [];
  const files = new Set(listTarball(file));
  const manifest = JSON.parse(execFileSync('tar', ['-xzf', file, '-O', 'package/package.json'], { encoding: 'utf8' }));
  for (const required of ['LICENSE', 'README.md', 'package.json']) if (!files.has(required)) problems.push(`no ${required}`);
  if (files.has('LICENSE')) {
    const license = execFileSync('tar', ['-xzf', file, '-O', 'package/LICENSE'], { encoding: 'utf8' });
    if (!/MIT License/.test(license) || !/lmrec contributors/.test(license)) problems.push('LICENSE is not the MIT licence of "lmrec contributors"');
  }
  for (const field of DEP_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is still "${range}"`);
  }
  if (JSON.stringify(manifest.exports) !== JSON.stringify(withoutSource(source.manifest.exports))) {
    problems.push('published exports differ from the source exports without "source" (update publishConfig.exports)');
  }
  if (JSON.stringify(manifest.exports ?? {}).includes('"source"')) problems.push('exports still has a "source" condition (its files are not shipped)');
  const entries = [...targets(manifest.exports), manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin ?? {})].filter(Boolean);
  for (const entry of new Set(entries)) if (!files.has(entry.replace(/^\.\//, ''))) problems.push(`entry point ${entry} is not in the tarball`);
  for (const f of files) if (/^(src|test|bench)\//.test(f)) problems.push(`ships ${f}`);
  for (const folder of source.manifest.files ?? []) {
    if (!['dist', 'README.md', 'LICENSE'].includes(folder) && ![...files].some((f) => f.startsWith(`${folder}/`))) problems.push(`"files" names ${folder} but the tarball has nothing in it`);
  }
  return { manifest, files, problems };
}

/** The packages of the workspace to pack: every public one, and the examples (private, but meant to be copied and published). */
export function publishable(root, dirs) {
  return dirs
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
    .filter(({ dir, manifest }) => manifest.private !== true || dir.startsWith('examples/'));
}
