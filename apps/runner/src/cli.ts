#!/usr/bin/env node
import { main } from './cli/main.js';

// `lmrec recommend ... | head` closes stdout early: that is the reader's choice,
// not an error, so end quietly instead of printing Node's EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
