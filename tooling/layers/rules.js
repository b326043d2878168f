import { FOLDERS, mayDepend } from './layers.js';

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folders = Object.entries(FOLDERS);

/**
 * dependency-cruiser rules from the layer table: for every package, the
 * folders its sources (src/) and its tests (test/, bench/) must not import;
 * imports between packages only through entry points; no unresolvable
 * import; no cycle.
 */
export function layerRules() {
  const rules = [];
  for (const [name, dir] of folders) {
    for (const [kind, parts] of [['prod', 'src'], ['dev', '(test|bench|examples|scripts)']]) {
      const banned = folders.filter(([other]) => !mayDepend(name, other, kind)).map(([, d]) => esc(d));
      if (banned.length === 0) continue;
      rules.push({
        name: `layers:${name}${kind === 'dev' ? ' (tests)' : ''}`,
        comment: `${name} ${kind === 'dev' ? 'tests' : 'sources'} may not import ${banned.join(', ')} (core <- datasets / encoders / eval / vectors <- recsys / serve / browser <- alpharec / reindex <- adapt <- runner; only tests import @lmrec/testing)`,
        severity: 'error',
        from: { path: `^${esc(dir)}/${parts}/` },
        to: { path: `^(${banned.join('|')})/` },
      });
    }
  }
  rules.push(
    {
      name: 'examples: only @lmrec/core in sources',
      comment: 'an example plugin is a standalone package: its sources use @lmrec/core only (tests may use @lmrec/testing)',
      severity: 'error',
      from: { path: '^examples/[^/]+/src/' },
      to: { path: '^(packages|apps)/', pathNot: '^packages/core/src/index\\.ts$' },
    },
    {
      name: 'entry points only',
      comment: "another package is imported through its entry point (its package name), never a file inside it",
      severity: 'error',
      from: { path: '^(packages|apps|examples)/([^/]+)/' },
      to: { path: '^(packages|apps|examples)/', pathNot: ['^(packages|apps|examples)/$2/', '^(packages|apps)/[^/]+/src/index\\.ts$', '^packages/encoders/src/testing/index\\.ts$', '^packages/encoders/src/browser\\.ts$'] },
    },
    { name: 'no unresolvable imports', severity: 'error', from: {}, to: { couldNotResolve: true } },
    { name: 'no cycles', comment: 'a cycle of imports (between packages or inside one)', severity: 'error', from: {}, to: { circular: true } },
  );
  return rules;
}
