import { describe, expect, it } from 'vitest';
import { CapturingProgress, isLmrecError, LmrecError, ProgressMeter, silentProgress } from '../src/index.js';

describe('LmrecError', () => {
  it('puts file, line, field and hint into the message and keeps them as fields', () => {
    const cause = new Error('inner');
    const e = new LmrecError('E_PARSE', 'bad rating "x"', { file: 'u.data', line: 12, field: 'rating', hint: 'ratings are numbers', cause });
    expect(e.message).toBe('u.data, line 12, field "rating": bad rating "x" (hint: ratings are numbers)');
    expect(e).toMatchObject({ name: 'LmrecError', code: 'E_PARSE', file: 'u.data', line: 12, field: 'rating', hint: 'ratings are numbers' });
    expect(e.cause).toBe(cause);
    expect(new LmrecError('E_X', 'plain').message).toBe('plain');
    expect(isLmrecError(e)).toBe(true);
    expect(isLmrecError(e, 'E_PARSE')).toBe(true);
    expect(isLmrecError(e, 'E_IO')).toBe(false);
    expect(isLmrecError(new Error('x'))).toBe(false);
  });
});

describe('progress', () => {
  it('ProgressMeter computes rate and ETA from its clock', () => {
    let now = 1000;
    const meter = new ProgressMeter('epoch 1', 500, 'samples', () => now);
    now = 3000;
    meter.done = 100;
    expect(meter.snapshot()).toMatchObject({ name: 'epoch 1', done: 100, total: 500, unit: 'samples', elapsedMs: 2000, rate: 50, etaSeconds: 8 });
    expect(new ProgressMeter('x', undefined, 'items', () => now).snapshot().etaSeconds).toBeUndefined();
  });

  it('CapturingProgress records every event in order', () => {
    const progress = new CapturingProgress();
    const task = progress.start('train', 3, 'batches');
    task.tick();
    task.tick(2);
    task.set({ loss: 0.5 });
    progress.log('done');
    task.end();
    expect(progress.events.map((e) => e.type)).toEqual(['start', 'tick', 'tick', 'set', 'log', 'end']);
    expect(progress.events[2]).toEqual({ type: 'tick', name: 'train', done: 3 });
    const end = progress.events[5];
    expect(end.type === 'end' && end.snapshot.fields).toEqual({ loss: 0.5 });
    const silent = silentProgress.start('x', 1);
    expect(() => (silent.tick(), silent.set({}), silent.end())).not.toThrow();
  });
});
