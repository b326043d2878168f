// Run by glove-store.test.ts in a child process that the test SIGKILLs mid-conversion:
// after the second chunk of vectors is written it says so in `marker` and stalls.
import { writeFileSync } from 'node:fs';
import { convertGlove, gloveCacheFolder, resolveGloveSource } from '../../src/index.js';

const [source, cacheDir, marker] = process.argv.slice(2);
const src = resolveGloveSource(source);
let ticks = 0;
const stall = () => {
  writeFileSync(marker, 'half');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
};
await convertGlove(src, gloveCacheFolder(src, cacheDir), {
  rowsPerWrite: 4,
  progress: { start: () => ({ tick: () => ++ticks === 2 && stall(), set() {}, end() {} }) },
});
writeFileSync(marker, 'done');
