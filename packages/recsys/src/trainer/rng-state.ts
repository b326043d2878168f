import { LmrecError, type Rng, type RngState } from '@lmrec/core';

export type { RngState };

/** Snapshot of a stream that is not re-derivable from the seed (a sampler or a dropout stream that runs on across epochs). */
export function captureRng(rng: Rng): RngState {
  return rng.getState();
}

export function restoreRng(rng: Rng, state: RngState): void {
  rng.setState(state);
}

export function captureStreams(streams: Record<string, Rng> | undefined): Record<string, RngState> | undefined {
  if (!streams) return undefined;
  return Object.fromEntries(Object.entries(streams).map(([k, rng]) => [k, captureRng(rng)]));
}

export function restoreStreams(streams: Record<string, Rng> | undefined, states: Record<string, RngState> | undefined, file?: string): void {
  if (!streams) return;
  for (const [k, rng] of Object.entries(streams)) {
    const s = states?.[k];
    if (!s) throw new LmrecError('E_CHECKPOINT', `the checkpoint has no state for the random stream "${k}"`, { file, hint: 'use another checkpointDir or resume: false' });
    restoreRng(rng, s);
  }
}
