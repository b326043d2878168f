// The one table of lmrec's layering. A package may depend on packages of a
// lower rank only (not on one of its own rank, never upwards):
//   core <- datasets / encoders / eval / vectors <- recsys / serve / browser <- alpharec / reindex <- adapt <- runner
// @lmrec/testing may depend on any library package; only tests (test/ of any
// package or example) may depend on it. Examples use published entry points only.

export const RANKS = {
  '@lmrec/core': 0,
  '@lmrec/datasets': 1,
  '@lmrec/encoders': 1,
  '@lmrec/eval': 1,
  '@lmrec/vectors': 1,
  '@lmrec/recsys': 2,
  '@lmrec/serve': 2,
  '@lmrec/browser': 2,
  '@lmrec/alpharec': 3,
  '@lmrec/reindex': 3,
  '@lmrec/adapt': 4,
  '@lmrec/runner': 5,
};

/** Workspace folder of each layered package (examples and tooling are handled apart). */
export const FOLDERS = {
  '@lmrec/core': 'packages/core',
  '@lmrec/datasets': 'packages/datasets',
  '@lmrec/encoders': 'packages/encoders',
  '@lmrec/eval': 'packages/eval',
  '@lmrec/vectors': 'packages/vectors',
  '@lmrec/recsys': 'packages/recsys',
  '@lmrec/serve': 'packages/serve',
  '@lmrec/browser': 'packages/browser',
  '@lmrec/alpharec': 'packages/alpharec',
  '@lmrec/reindex': 'packages/reindex',
  '@lmrec/adapt': 'packages/adapt',
  '@lmrec/runner': 'apps/runner',
  '@lmrec/testing': 'packages/testing',
};

export const TESTING = '@lmrec/testing';
/** Build and test tooling of the workspace (private, never published): any package may use it in development. */
export const TOOLING = /^@lmrec\/(tsconfig|tsup-config|vitest-preset|eslint-config|layers)$/;

/**
 * Whether `from` may depend on `to` (package names). `kind` is "dev" for
 * development-only use (devDependencies, test files), where @lmrec/testing
 * and the tooling are allowed too.
 */
export function mayDepend(from, to, kind = 'prod') {
  if (from === to) return true;
  if (TOOLING.test(to)) return kind === 'dev';
  if (to === TESTING) return kind === 'dev' && from !== '@lmrec/core';
  if (from === TESTING) return to in RANKS && to !== '@lmrec/runner';
  if (!(to in RANKS)) return false;
  if (!(from in RANKS)) return true; // an example (or a project outside): any published library
  return RANKS[to] < RANKS[from];
}
