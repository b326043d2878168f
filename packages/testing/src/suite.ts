import { afterAll, beforeAll, describe, it } from 'vitest';

/** Lets a check say it does not apply (e.g. factors() on a model without them): reported as skipped, not passed. */
export interface CheckContext {
  skip(note: string): void;
}

/** One named property of a contract; throws (a vitest assertion) when the implementation breaks it. */
export interface Check {
  title: string;
  run(ctx: CheckContext): unknown | Promise<unknown>;
}

/** Thrown by `skip` outside vitest (runCheck), so the rest of the check does not run. */
class Skipped extends Error {}

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
    for (const check of suite.checks) it(check.title, (ctx) => check.run({ skip: (note) => ctx.skip(note) }) as Promise<void>);
  });
}

/** Runs one check of a suite by (a unique part of) its title (set-up is the caller's); resolves 'skipped' when it does not apply. */
export async function runCheck(suite: Suite, titlePart: string): Promise<'passed' | 'skipped'> {
  const matches = suite.checks.filter((c) => c.title.includes(titlePart));
  if (matches.length !== 1) throw new Error(`"${titlePart}" matches ${matches.length} checks of ${suite.title}: ${suite.checks.map((c) => c.title).join(' | ')}`);
  try {
    await matches[0].run({
      skip: () => {
        throw new Skipped();
      },
    });
    return 'passed';
  } catch (error) {
    if (error instanceof Skipped) return 'skipped';
    throw error;
  }
}

/** A value computed once, on first use (set-up shared by a suite's checks). */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
