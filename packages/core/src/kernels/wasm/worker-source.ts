/**
 * Atomics.load polls (~0.1-0.3 ms) a thread spins before it sleeps. Waking a
 * sleeping thread costs ~65 us here, a fifth of a full-ranking tile, so both
 * sides poll briefly first (as OpenMP runtimes do) and only then block.
 */
export const SPIN_POLLS = 20_000;

/**
 * Source of the kernel worker thread (evaluated with `eval: true`, so it
 * works the same from sources, ESM and CJS builds). The worker instantiates
 * the kernel module on the shared memory and runs jobs posted in its control
 * slot: [state, function index, up to 12 i32 args, chunks, fixed args].
 * States: 0 idle, 1 posted, 2 running, 3 done, 4 failed. With chunks > 0 the
 * worker claims chunks c from the shared table (runChunks) and calls the
 * function with the fixed args and the chunk's two bounds appended.
 */
export const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, slot, names, sched } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
const ctl = new Int32Array(memory.buffer, slot, 16);
for (;;) {
  let s = Atomics.load(ctl, 0);
  for (let spin = 0; s !== 1 && spin < ${SPIN_POLLS}; spin++) s = Atomics.load(ctl, 0);
  if (s !== 1) { Atomics.wait(ctl, 0, s); continue; }
  if (Atomics.compareExchange(ctl, 0, 1, 2) !== 1) continue;
  let state = 3;
  try {
    const fn = fns[ctl[1]];
    const chunks = ctl[14];
    if (chunks === 0) fn(ctl[2], ctl[3], ctl[4], ctl[5], ctl[6], ctl[7], ctl[8], ctl[9], ctl[10], ctl[11], ctl[12], ctl[13]);
    else {
      const args = Array.from(ctl.subarray(2, 2 + ctl[15]));
      const nf = args.length;
      for (let c = Atomics.add(sched, 0, 1); c < chunks; c = Atomics.add(sched, 0, 1)) {
        args[nf] = sched[1 + c];
        args[nf + 1] = sched[2 + c];
        fn(...args);
      }
    }
  } catch (e) {
    state = 4;
  }
  Atomics.store(ctl, 0, state);
  Atomics.notify(ctl, 0);
}
`;
