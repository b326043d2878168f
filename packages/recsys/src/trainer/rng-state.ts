import { LmrecError, type Rng } from '@lmrec/core';

/** The full state of a core Rng (xoshiro128** words and the spare normal draw), JSON-serialisable. */
export interface RngState {
  s: [number, number, number, number];
  spareNormal: number | null;
}

interface RngInternals {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  spareNormal: number | undefined;
}

/**
 * Snapshot of a stream that is not re-derivable from the seed (a sampler or
 * a dropout stream that runs on across epochs), so a checkpoint can resume
 * it mid-run. core's Rng has no public state accessor yet: this reads its
 * four state words directly and checks the snapshot restores the stream.
 */
export function captureRng(rng: Rng): RngState {
  const r = rng as unknown as RngInternals;
  if (![r.s0, r.s1, r.s2, r.s3].every((x) => Number.isInteger(x))) {
    throw new LmrecError('E_STATE', 'cannot read the Rng state (core Rng changed its fields)', { hint: 'update recsys/src/trainer/rng-state.ts' });
  }
  return { s: [r.s0, r.s1, r.s2, r.s3], spareNormal: r.spareNormal ?? null };
}

export function restoreRng(rng: Rng, state: RngState): void {
  const r = rng as unknown as RngInternals;
  if (!Array.isArray(state?.s) || state.s.length !== 4 || !state.s.every((x) => Number.isInteger(x))) {
    throw new LmrecError('E_CHECKPOINT', `not an Rng state: ${JSON.stringify(state)}`);
  }
  [r.s0, r.s1, r.s2, r.s3] = state.s;
  r.spareNormal = state.spareNormal ?? undefined;
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
