// Run by cache.test.ts in a child process that the test SIGKILLs mid-encode.
import { CachedEncoder } from '../../src/cache/cached-encoder.js';
import { CountingEncoder } from '../helpers/counting-encoder.js';

const [dir, n, chunkSize, dim, logFile] = process.argv.slice(2);
const texts = Array.from({ length: Number(n) }, (_, i) => `movie title number ${i} (${1900 + (i % 120)})`);
const cached = new CachedEncoder(new CountingEncoder(Number(dim), 15, logFile), { dir, chunkSize: Number(chunkSize) });
process.send?.('started');
await cached.encode(texts);
process.send?.('done');
