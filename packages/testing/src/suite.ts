import { afterAll, beforeAll, describe, it } from 'vitest';

/** One named property of a contract; throws (a vitest assertion) when the implementation breaks it. */
export interface Check {
  title: string;
  run(): unknown | Promise<unknown>;
}

/**
 * A contract suite as data: its checks plus shared set-up and clean-up. The
 * `*Contract` functions register a suite with vitest; `*Suite` functions
 * return it, so a suite can also be run by hand (the testing package runs
 * each one against broken implementations to prove it fails).
 */
export interface Suite {
  title: string;
  checks: Check[];
  setup?(): unknown | Promise<unknown>;
  teardown?(): unknown | Promise<unknown>;
}

/** Registers a suite as one vitest `describe` with one `it` per check. */
export function registerSuite(suite: Suite): void {
  describe(suite.title, () => {
    if (suite.setup) beforeAll(() => suite.setup!() as Promise<void>);
    if (suite.teardown) afterAll(() => suite.teardown!() as Promise<void>);
    for (const check of suite.checks) it(check.title, () => check.run() as Promise<void>);
  });
}

/** Runs one check of a suite by (a unique part of) its title, after the suite's set-up. */
export async function runCheck(suite: Suite, titlePart: string): Promise<void> {
  const matches = suite.checks.filter((c) => c.title.includes(titlePart));
  if (matches.length !== 1) throw new Error(`"${titlePart}" matches ${matches.length} checks of ${suite.title}: ${suite.checks.map((c) => c.title).join(' | ')}`);
  await matches[0].run();
}

/** A value computed once, on first use (set-up shared by a suite's checks). */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
