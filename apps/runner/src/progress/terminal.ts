import { ProgressMeter, type ProgressReporter, type ProgressSnapshot, type ProgressTask } from '@lmrec/core';

export type ProgressMode = 'bars' | 'lines' | 'json' | 'quiet';

/**
 * Renders core's ProgressReporter for people, as JSON lines for CI logs, or
 * not at all. On a TTY: a bar per task with items/s and ETA, full when the
 * task ends. Elsewhere (a log file, CI): the log lines only (the trainers
 * write one per epoch), plus a progress line every `intervalMs` for a task
 * that runs long, so a log never floods with bars.
 */
export class TerminalProgress implements ProgressReporter {
  constructor(
    private readonly mode: ProgressMode = process.stderr.isTTY ? 'bars' : 'lines',
    private readonly out: NodeJS.WritableStream = process.stderr,
    private readonly intervalMs = mode === 'bars' ? 100 : 30_000,
  ) {}

  start(name: string, total?: number, unit = 'items'): ProgressTask {
    const meter = new ProgressMeter(name, total, unit);
    let last = performance.now();
    const emit = (final: boolean) => {
      const now = performance.now();
      if (!final && now - last < this.intervalMs) return;
      last = now;
      const snapshot = meter.snapshot();
      this.render(final && this.mode === 'bars' ? finished(snapshot) : snapshot, final);
    };
    if (this.mode === 'json') this.json({ event: 'start', name, total, unit });
    return {
      tick: (n = 1) => {
        meter.done += n;
        emit(false);
      },
      set: (fields) => {
        Object.assign(meter.fields, fields);
      },
      end: () => emit(true),
    };
  }

  log(message: string): void {
    if (this.mode === 'quiet') return;
    if (this.mode === 'json') this.json({ event: 'log', message });
    else this.out.write(`${this.mode === 'bars' ? '\r\x1b[2K' : ''}${message}\n`);
  }

  private render(s: ProgressSnapshot, final: boolean): void {
    if (this.mode === 'quiet') return;
    if (this.mode === 'json') {
      this.json({ event: final ? 'end' : 'progress', ...s });
      return;
    }
    const line = formatProgress(s);
    if (this.mode === 'bars') this.out.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (!final) this.out.write(`${line}\n`);
  }

  private json(value: Record<string, unknown>): void {
    this.out.write(`${JSON.stringify({ time: new Date().toISOString(), ...value })}\n`);
  }
}

/**
 * A task that ended is done: its bar is full, counting what it did (a trainer
 * that drops the last partial batch, or stops early, ends below its total).
 */
function finished(s: ProgressSnapshot): ProgressSnapshot {
  if (s.total === undefined || s.done <= 0 || s.done >= s.total) return s;
  return { ...s, total: s.done, etaSeconds: undefined };
}

/** "epoch 3 [#####.....] 52% 23,400/45,057 samples 8,120/s ETA 3s loss=0.41" */
export function formatProgress(s: ProgressSnapshot, width = 24): string {
  const parts = [s.name];
  if (s.total) {
    const frac = Math.min(1, s.done / s.total);
    const filled = Math.round(frac * width);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%`);
    parts.push(`${s.done.toLocaleString('en-US')}/${s.total.toLocaleString('en-US')} ${s.unit}`);
  } else {
    parts.push(`${s.done.toLocaleString('en-US')} ${s.unit}`);
  }
  parts.push(`${formatRate(s.rate)}/s`);
  if (s.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(s.etaSeconds)}`);
  else parts.push(`${formatDuration(s.elapsedMs / 1000)}`);
  for (const [k, v] of Object.entries(s.fields)) parts.push(`${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`);
  return parts.join(' ');
}

function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toPrecision(3);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
