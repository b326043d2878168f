import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mayDepend } from './layers.js';

const FIELDS = [['dependencies', 'prod'], ['peerDependencies', 'prod'], ['optionalDependencies', 'prod'], ['devDependencies', 'dev']];

/** Every package.json under packages/, apps/, examples/, tooling/ of `baseDir`. */
export function readManifests(baseDir) {
  return ['packages', 'apps', 'examples', 'tooling']
    .filter((top) => existsSync(join(baseDir, top)))
    .flatMap((top) => readdirSync(join(baseDir, top)).map((d) => `${top}/${d}`))
    .filter((dir) => existsSync(join(baseDir, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(baseDir, dir, 'package.json'), 'utf8')) }));
}

/**
 * Problems in the package.json dependencies: an @lmrec dependency against
 * the layers (by field: devDependencies may add @lmrec/testing and the
 * tooling) and any cycle among the workspace packages.
 */
export function manifestViolations(manifests) {
  const problems = [];
  const names = new Set(manifests.map((m) => m.manifest.name));
  const edges = new Map();
  for (const { dir, manifest } of manifests) {
    const out = new Set();
    for (const [field, kind] of FIELDS) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        if (!dep.startsWith('@lmrec/')) continue;
        if (!mayDepend(manifest.name, dep, kind)) problems.push({ rule: 'layers (package.json)', from: `${dir}/package.json`, to: dep, detail: `${field} of ${manifest.name} names ${dep}` });
        if (names.has(dep) && dep !== manifest.name) out.add(dep);
      }
    }
    edges.set(manifest.name, out);
  }
  for (const cycle of cycles(edges)) problems.push({ rule: 'no cycles (package.json)', from: cycle[0], to: cycle[1], cycle, detail: cycle.join(' -> ') });
  return problems;
}

/** Each elementary cycle found by a depth-first search, once (from its smallest name). */
function cycles(edges) {
  const found = new Map();
  const visit = (start, node, path) => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const key = [...path].sort().join();
        if (!found.has(key)) found.set(key, [...path, start]);
      } else if (!path.includes(next) && next > start) visit(start, next, [...path, next]);
    }
  };
  for (const start of [...edges.keys()].sort()) visit(start, start, [start]);
  return [...found.values()];
}
