/** A unit of long work, e.g. "epoch 3" over 45,057 samples. */
export interface ProgressTask {
  /** Advance by n units (default 1). */
  tick(n?: number): void;
  /** Free-form fields shown beside the bar (loss, recall, ...). */
  set(fields: Record<string, number | string>): void;
  end(): void;
}

/**
 * Where long work reports progress. The CLI renders bars with items/s and
 * ETA; tests capture events; libraries default to `silentProgress`.
 */
export interface ProgressReporter {
  start(name: string, total?: number, unit?: string): ProgressTask;
  log?(message: string): void;
}

export const silentProgress: ProgressReporter = {
  start: () => ({ tick() {}, set() {}, end() {} }),
};

export interface ProgressSnapshot {
  name: string;
  done: number;
  total?: number;
  unit: string;
  elapsedMs: number;
  /** Units per second so far. */
  rate: number;
  /** Seconds left at the current rate; undefined without a total. */
  etaSeconds?: number;
  fields: Record<string, number | string>;
}

/** Rate and ETA bookkeeping shared by every renderer. */
export class ProgressMeter {
  done = 0;
  fields: Record<string, number | string> = {};
  private readonly started: number;

  constructor(
    readonly name: string,
    readonly total: number | undefined,
    readonly unit = 'items',
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  snapshot(): ProgressSnapshot {
    const elapsedMs = this.now() - this.started;
    const rate = elapsedMs > 0 ? (this.done * 1000) / elapsedMs : 0;
    const etaSeconds = this.total !== undefined && rate > 0 ? Math.max(0, this.total - this.done) / rate : undefined;
    return { name: this.name, done: this.done, total: this.total, unit: this.unit, elapsedMs, rate, etaSeconds, fields: { ...this.fields } };
  }
}

export type ProgressEvent =
  | { type: 'start'; name: string; total?: number; unit: string }
  | { type: 'tick'; name: string; done: number }
  | { type: 'set'; name: string; fields: Record<string, number | string> }
  | { type: 'end'; snapshot: ProgressSnapshot }
  | { type: 'log'; message: string };

/** Records every event; for tests and for JSON-log mode. */
export class CapturingProgress implements ProgressReporter {
  readonly events: ProgressEvent[] = [];

  start(name: string, total?: number, unit = 'items'): ProgressTask {
    const meter = new ProgressMeter(name, total, unit);
    this.events.push({ type: 'start', name, total, unit });
    return {
      tick: (n = 1) => {
        meter.done += n;
        this.events.push({ type: 'tick', name, done: meter.done });
      },
      set: (fields) => {
        Object.assign(meter.fields, fields);
        this.events.push({ type: 'set', name, fields });
      },
      end: () => this.events.push({ type: 'end', snapshot: meter.snapshot() }),
    };
  }

  log(message: string): void {
    this.events.push({ type: 'log', message });
  }
}
