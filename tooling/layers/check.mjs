#!/usr/bin/env node
// pnpm lint's layering check: imports (dependency-cruiser) and package.json
// dependencies against the layer table in layers.js, and no cycles in either.
import { resolve } from 'node:path';
import { importViolations } from './cruise.js';
import { FOLDERS, mayDepend } from './layers.js';
import { manifestViolations, readManifests } from './manifests.js';

const root = resolve(import.meta.dirname, '../..');
const started = performance.now();
const owner = (path) => Object.entries(FOLDERS).find(([, dir]) => path.startsWith(`${dir}/`))?.[0];
// An @lmrec import that does not resolve is one the package does not declare: say whether the layers would even allow it.
const explain = (v) => {
  const from = owner(v.from);
  const to = v.to.match(/^@lmrec\/[a-z-]+/)?.[0];
  if (v.rule !== 'no unresolvable imports' || !from || !to) return v;
  const kind = /\/(test|bench)\//.test(v.from) ? 'dev' : 'prod';
  return { ...v, detail: mayDepend(from, to, kind) ? `${to} is not in ${from}'s package.json` : `${from} may not depend on ${to} (layers)` };
};
const problems = [...manifestViolations(readManifests(root)), ...(await importViolations(root)).map(explain)];
for (const p of problems) console.error(`layers: ${p.rule}: ${p.from} -> ${p.to}${p.cycle ? ` (cycle ${p.cycle.join(' -> ')})` : ''}${p.detail ? ` [${p.detail}]` : ''}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (problems.length) {
  console.error(`layers: ${problems.length} violation(s) (${seconds} s); the rules are in tooling/layers/layers.js`);
  process.exit(1);
}
console.log(`layers: imports and package.json dependencies follow core <- datasets / encoders / eval / vectors <- recsys / serve / browser <- alpharec / reindex <- adapt <- runner, no cycles (${seconds} s)`);
