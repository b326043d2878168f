import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// Read when a bench imports this file, i.e. when it starts: the load it ran under, beside the load at the end.
const LOAD_AT_START = loadavg();

/** Load average (1 / 5 / 15 min) when the bench started and now: timings on a busy 2-core machine are not quiet-machine timings. */
export function loadInfo(): string {
  const f = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  return `load average (1/5/15 min) ${f(LOAD_AT_START)} at start, ${f(loadavg())} at the end`;
}

/** One line describing the machine a benchmark ran on. */
export function machineInfo(): string {
  const cpu = cpus();
  let pkg = 'unknown';
  try {
    pkg = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout
  }
  return `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}, commit ${pkg}, ${new Date().toISOString()}; ${loadInfo()}`;
}

/** Resets the peak RSS to the current RSS (Linux: clear_refs 5), so a later `peakRssMiB` is the peak of what ran since; false where unsupported. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size so far, in MiB (Linux: VmHWM). */
export function peakRssMiB(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    if (kb) return kb / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 2 ** 20;
}

/** The value after `--name` on the command line, else `fallback`; a flag without a value, or a missing required one, is an error naming it. */
export function cliArg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? process.argv[i + 1] : fallback;
  if (value === undefined || value.startsWith('--')) throw new Error(i > 0 ? `--${name} needs a value` : `--${name} is required`);
  return value;
}

/** Path of ../shared/data/<name> next to the repo root, or undefined if absent. */
export function sharedData(name: string): string | undefined {
  const path = resolve(import.meta.dirname, '..', '..', 'shared', 'data', name);
  return existsSync(path) ? path : undefined;
}

/** Markdown table from rows of records (column order from the first row). */
export function markdownTable(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '_no rows_\n';
  const cols = Object.keys(rows[0]);
  // 4 significant digits for fractions (6.21, 0.56), thousands separators for big numbers (1,748)
  const fmt = (v: string | number | undefined) =>
    typeof v === 'number' ? v.toLocaleString('en-US', Number.isInteger(v) || Math.abs(v) >= 1000 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 4 }) : (v ?? '');
  return [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => fmt(r[c])).join(' | ')} |`)].join('\n') + '\n';
}

/** Write a package's bench/results.md section. */
export function writeBenchSection(file: string, title: string, command: string, body: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `## ${title}\n\nCommand: \`${command}\`  \nMachine: ${machineInfo()}\n\n${body}\n`);
}

/** Why a PyTorch comparison was skipped, for its skip note. */
export const NO_TORCH = 'no python with torch (set LMREC_PYTHON; Debian: apt-get install python3-torch libopenblas0-pthread)';

/** A python that imports torch (LMREC_PYTHON, python3, /usr/bin/python3), or undefined. */
export function torchPython(): string | undefined {
  return [process.env.LMREC_PYTHON, 'python3', '/usr/bin/python3'].find((py) => !!py && spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

/**
 * PyTorch's float32 GEMM speed at 1 thread (GFLOP/s, [4096, 256] x [256, 1024]),
 * printed beside every comparison: Debian's python3-torch links the system
 * BLAS, which is the reference one (~5 GFLOP/s) unless libopenblas0-pthread
 * is installed (~75 here).
 */
export function torchGemmGflops(python: string): number {
  const env = torchEnv(1);
  const code = 'import torch,time;torch.set_num_threads(1);a=torch.randn(4096,256);w=torch.randn(256,1024);a@w;t=time.perf_counter();[a@w for _ in range(5)];print(2*4096*256*1024*5/(time.perf_counter()-t)/1e9)';
  return Number(execFileSync(python, ['-c', code], { encoding: 'utf8', env }).trim());
}

/**
 * The environment of a PyTorch run on `threads` threads: torch.set_num_threads
 * does not reach OpenBLAS' own thread pool, which otherwise takes every core.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  return { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
}
