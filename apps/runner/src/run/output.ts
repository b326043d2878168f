import { existsSync, promises as fs, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, parse, relative, resolve, sep } from 'node:path';
import { LmrecError, writeJsonAtomic } from '@lmrec/core';
import { LMREC_VERSION } from '../version.js';

/** The file that marks a folder as an lmrec run (what --fresh may empty). */
export const RUN_MARKER = '.lmrec-run.json';

/** What lmrec writes in a run folder: the only entries --fresh deletes. */
const RUN_ENTRIES = [/^\.lmrec-run\.json$/, /^\.lmrec$/, /^config\.json$/, /^results\.json$/, /^report\.html$/, /^steps$/, /^checkpoints$/, /^logs$/, /^models$/, /^encodings$/, /^embedding-cache$/, /^split-.+$/, /^trial-\d+$/, /^demo-(rta|alpharec)$/, /\.tmp-\d+/];

export interface RunMarker {
  format: 'lmrec-run';
  lmrec: string;
  /** Folder bare plugin package names resolve from (the config's folder). */
  pluginsFrom?: string;
  createdAt: string;
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

const inside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
};

/** A folder that holds a project or a person's files, never a run: a filesystem root, a home folder, a repository or package root. */
function protectedReason(dir: string): string | undefined {
  if (parse(dir).root === dir) return 'it is a filesystem root';
  const home = real(homedir());
  if (dir === home || inside(home, dir)) return 'it is (or holds) your home folder';
  const cwd = real(process.cwd());
  if (cwd !== dir && inside(cwd, dir)) return 'it holds the current folder';
  for (const marker of ['.git', 'package.json', 'pnpm-workspace.yaml']) if (existsSync(join(dir, marker))) return `it holds ${marker} (a project folder)`;
  return undefined;
}

/** A folder lmrec made: marked, or (older runs) a config.json beside steps or results, or a folder of such runs (demo, search). */
export function isRunFolder(dir: string): boolean {
  if (existsSync(join(dir, RUN_MARKER))) return true;
  if (existsSync(join(dir, 'config.json')) && (existsSync(join(dir, 'steps')) || existsSync(join(dir, 'results.json')))) return true;
  const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
  return entries.length > 0 && entries.every((e) => e.isDirectory() && isRunFolder(join(dir, e.name)));
}

/**
 * Checks that a run may write into `dir` (and, with `fresh`, empty it):
 * refuses roots, home folders, project folders, the current folder's
 * ancestors, and existing folders that are not lmrec runs.
 */
export async function prepareOutput(target: string, options: { fresh?: boolean; pluginsFrom?: string } = {}): Promise<string> {
  const dir = real(target);
  const refuse = (why: string) => new LmrecError('E_OUTPUT', `refusing to use ${dir} as a run folder: ${why}`, { field: 'output', hint: 'choose an empty or new folder, e.g. runs/<name>' });
  const reason = protectedReason(dir);
  if (reason) throw refuse(reason);
  const entries = existsSync(dir) ? await fs.readdir(dir) : [];
  if (entries.length > 0 && !isRunFolder(dir)) throw refuse('it is not empty and not an lmrec run folder');
  if (options.fresh && entries.length > 0) {
    for (const entry of entries) if (RUN_ENTRIES.some((re) => re.test(entry))) await fs.rm(join(dir, entry), { recursive: true, force: true });
  }
  await fs.mkdir(dir, { recursive: true });
  if (!existsSync(join(dir, RUN_MARKER)) || options.fresh) {
    const marker: RunMarker = { format: 'lmrec-run', lmrec: LMREC_VERSION, pluginsFrom: options.pluginsFrom, createdAt: new Date().toISOString() };
    await writeJsonAtomic(join(dir, RUN_MARKER), marker);
  }
  return dir;
}

export async function readMarker(dir: string): Promise<RunMarker | undefined> {
  try {
    return JSON.parse(await fs.readFile(join(dir, RUN_MARKER), 'utf8')) as RunMarker;
  } catch {
    return undefined;
  }
}

