import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { layerRules } from './rules.js';

/**
 * The import violations under `baseDir` (folders packages/, apps/, examples/).
 * TypeScript type-only imports are left out (they vanish in the build).
 */
export async function importViolations(baseDir, roots = ['packages', 'apps', 'examples']) {
  const previous = process.cwd();
  process.chdir(baseDir); // dependency-cruiser reports and matches paths relative to the working folder
  try {
    const result = await cruise(roots.filter((r) => existsSync(join(baseDir, r))), {
      ruleSet: { forbidden: layerRules() },
      validate: true,
      exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '(^|/)\\.tmp-', '(^|/)\\.turbo/', '\\.d\\.ts$', '(^|/)fixtures/layers/'] },
      doNotFollow: { path: 'node_modules' },
      tsPreCompilationDeps: false,
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        conditionNames: ['source', 'import', 'require', 'node', 'default'],
        mainFields: ['module', 'main', 'types'],
        extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
        extensionAlias: { '.js': ['.ts', '.js'], '.mjs': ['.mts', '.mjs'] },
      },
    });
    return result.output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to, cycle: v.cycle?.map((c) => c.name ?? c) }));
  } finally {
    process.chdir(previous);
  }
}
