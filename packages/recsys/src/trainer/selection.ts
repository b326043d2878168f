import { LmrecError } from '@lmrec/core';
import type { HostState, TrainerState } from './checkpoint.js';

/**
 * Model selection on VALID: the best score so far (strictly better by more
 * than `minDelta` to replace it), the weights it came with (keep-best), and
 * early stopping after `patience` evaluations without a new best.
 */
export class Selection {
  bestScore = -Infinity;
  /** 0-based epoch of the best weights; -1 = the initial weights (or none yet, see `hasBest`). */
  bestEpoch = -1;
  bestMetrics: Record<string, number> | undefined;
  initialMetrics: Record<string, number> | undefined;
  best: HostState | undefined;
  hasBest = false;
  badEvals = 0;
  stoppedEarly = false;

  constructor(
    readonly metric: string,
    readonly patience: number,
    readonly minDelta: number,
    readonly keepBest: boolean,
  ) {}

  /** Offers the metrics of `epoch` (-1 = initial weights); true when they are the new best. */
  offer(epoch: number, metrics: Record<string, number>, snapshot: () => HostState): boolean {
    const score = metrics[this.metric];
    if (score === undefined) {
      throw new LmrecError('E_CONFIG', `the evaluation reported no "${this.metric}"`, { field: 'metric', hint: `one of ${Object.keys(metrics).join(', ')}` });
    }
    if (epoch < 0) this.initialMetrics = metrics;
    if (!this.hasBest || score > this.bestScore + this.minDelta) {
      this.hasBest = true;
      this.bestScore = score;
      this.bestEpoch = epoch;
      this.bestMetrics = metrics;
      this.badEvals = 0;
      if (this.keepBest) this.best = snapshot();
      return true;
    }
    this.badEvals++;
    if (this.badEvals >= this.patience) this.stoppedEarly = true;
    return false;
  }

  restore(state: TrainerState, best: HostState | undefined): void {
    this.bestScore = state.bestScore ?? -Infinity;
    this.bestEpoch = state.bestEpoch;
    this.bestMetrics = state.bestMetrics;
    this.initialMetrics = state.initialMetrics;
    this.hasBest = state.hasBest ?? state.bestEpoch >= 0;
    this.badEvals = state.badEvals;
    this.stoppedEarly = state.stoppedEarly;
    this.best = best;
  }

  /** The fields of TrainerState it owns. */
  toState(): Pick<TrainerState, 'bestEpoch' | 'bestScore' | 'bestMetrics' | 'hasBest' | 'initialMetrics' | 'badEvals' | 'stoppedEarly'> {
    return {
      bestEpoch: this.bestEpoch,
      bestScore: Number.isFinite(this.bestScore) ? this.bestScore : null,
      bestMetrics: this.bestMetrics,
      hasBest: this.hasBest,
      initialMetrics: this.initialMetrics,
      badEvals: this.badEvals,
      stoppedEarly: this.stoppedEarly,
    };
  }
}
