import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LmrecError, processAlive } from '@lmrec/core';

/**
 * One process at a time per PGlite folder: PGlite itself takes no lock, and
 * two processes writing one data folder corrupt it. The lock is a sibling
 * file holding the owner's pid; a lock whose process is gone (a killed
 * export) is stale and taken over.
 */
export function acquireFolderLock(dir: string): () => void {
  const file = `${dir}.lmrec-lock`;
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readOrEmpty(file));
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new LmrecError('E_LOCKED', `the PGlite folder ${dir} is open in process ${owner}`, {
          file: dir,
          hint: 'stop that process (an lmrec serve or export) first; PGlite serves one process at a time',
        });
      }
      if (owner === process.pid) throw new LmrecError('E_LOCKED', `the PGlite folder ${dir} is already open in this process`, { file: dir, hint: 'reuse the open store' });
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new LmrecError('E_LOCKED', `could not lock the PGlite folder ${dir}`, { file: dir });
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
